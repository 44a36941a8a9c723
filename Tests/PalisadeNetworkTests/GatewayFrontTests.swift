import PalisadeModel
import PalisadeSpec
import Testing
@testable import PalisadeNetwork

/// A VPN gateway's public IP terminates tunnels from the Internet: IKE (UDP 500) and NAT traversal (UDP 4500) for
/// IPsec, and TCP 443 for OpenVPN or SSTP clients (https://learn.microsoft.com/azure/vpn-gateway/point-to-site-about).
@Suite struct GatewayFrontTests {
    static func model(protocols: String) throws -> (NetworkModel, IPv4Address) {
        let yaml = "access:\n  vpn:\n    enabled: true\n"
        let (design, diagnostics) = SpecLoader().design(yaml: yaml, file: "vpn.yaml")
        var graph = try #require(design?.graph, "\(diagnostics.errors)")
        for gateway in graph.all(VirtualNetworkGateway.self) {
            graph.update(gateway.id, as: VirtualNetworkGateway.self) { value in
                value.vpnClientConfiguration?.protocols = protocols.split(separator: ",").map(String.init)
            }
        }
        let model = NetworkModel.compile(graph)
        let front = try #require(model.publicFronts.first { $0.value.kind == .virtualNetworkGateway }?.key)
        return (model, front)
    }

    @Test func ikeAndOpenVPNReachTheGatewayAndNothingElseDoes() throws {
        let (model, front) = try Self.model(protocols: "IkeV2,OpenVPN")
        let internet = try #require(model.reach().sources.first { $0.source == "internet" })
        for (proto, port, expected) in [(IPProtocol.udp, 500, true), (.udp, 4500, true), (.tcp, 443, true), (.tcp, 22, false), (.udp, 1194, false)] {
            let packet = Packet(source: .ip(IPv4Address(0xCB00_710A)), destination: .ip(front), protocol: proto, sourcePort: 50000, destinationPort: port)
            let trace = model.trace(packet: packet, from: .internet)
            #expect((trace.verdict == .allowed) == expected, "\(proto) \(port)\n\(trace.text)")
            // reach and trace agree on every case.
            #expect(internet.allowed.contains(packet) == expected, "\(proto) \(port)")
        }
    }

    @Test func withoutOpenVPNOrSSTPTheGatewayDoesNotListenOn443() throws {
        let (model, front) = try Self.model(protocols: "IkeV2")
        let packet = Packet(source: .ip(IPv4Address(0xCB00_710A)), destination: .ip(front), protocol: .tcp, sourcePort: 50000, destinationPort: 443)
        #expect(model.trace(packet: packet, from: .internet).verdict == .denied)
        let internet = try #require(model.reach().sources.first { $0.source == "internet" })
        #expect(!internet.allowed.contains(packet))
    }
}
