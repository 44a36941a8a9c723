import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// A NAT gateway carries TCP and UDP only ("ICMP isn't supported") and takes precedence over instance-level
/// public IPs for outbound traffic (https://learn.microsoft.com/azure/nat-gateway/nat-overview).
@Suite struct NatGatewayProtocolTests {
    /// The overview's example: a subnet with a NAT gateway and a VM that also has its own public IP.
    static func estate(natOnSubnet: Bool) -> NetworkModel {
        var e = Estate()
        let vnet = e.vnet("vnet", ["10.0.0.0/16"])
        let subnet = e.subnet(vnet, "app", "10.0.1.0/24", defaultOutbound: false)
        e.nic("vm", subnet: subnet, ip: "10.0.1.4", pip: e.pip("vm-pip", "20.10.0.1"))
        e.nic("vm2", subnet: subnet, ip: "10.0.1.5")
        if natOnSubnet {
            var nat = NatGateway(id: e.id("Microsoft.Network", [("natGateways", "natgw")]))
            nat.publicIPAddresses = [e.pip("nat-pip", "20.10.0.9")]
            e.graph.insert(nat)
            e.graph.update(subnet, as: Subnet.self) { $0.natGateway = nat.id }
        }
        return e.compile()
    }

    @Test func icmpThroughANatGatewayIsDroppedWhileTcpAndUdpLeave() throws {
        let model = Self.estate(natOnSubnet: true)
        let reach = try #require(model.reach().sources.first { $0.source.contains("app") })
        for source in ["10.0.1.4", "10.0.1.5"] {
            for (proto, expected) in [(IPProtocol.tcp, true), (.udp, true), (.icmp, false)] {
                let packet = Packet(source: .ip(ip(source)), destination: .ip(ip("8.8.8.8")), protocol: proto, destinationPort: 53)
                let trace = model.trace(packet: packet, from: .address(ip(source)))
                #expect((trace.verdict == .allowed) == expected, "\(source) \(proto)\n\(trace.text)")
                #expect(reach.allowed.contains(packet) == expected, "\(source) \(proto)")
            }
        }
        // The NAT gateway, not the VM's own public IP, is the outbound identity.
        let tcp = model.trace(packet: Packet(source: .ip(ip("10.0.1.4")), destination: .ip(ip("8.8.8.8")), protocol: .tcp, destinationPort: 443),
                              from: .address(ip("10.0.1.4")))
        #expect(tcp.hops.contains { $0.detail.contains("NAT gateway natgw") })
        let icmp = model.trace(packet: Packet(source: .ip(ip("10.0.1.4")), destination: .ip(ip("8.8.8.8")), protocol: .icmp, destinationPort: 0),
                               from: .address(ip("10.0.1.4")))
        #expect(icmp.reason.contains("does not carry"))
    }

    @Test func withoutANatGatewayTheVMsOwnPublicIPCarriesIcmp() throws {
        let model = Self.estate(natOnSubnet: false)
        let packet = Packet(source: .ip(ip("10.0.1.4")), destination: .ip(ip("8.8.8.8")), protocol: .icmp, destinationPort: 0)
        #expect(model.trace(packet: packet, from: .address(ip("10.0.1.4"))).verdict == .allowed)
        let reach = try #require(model.reach().sources.first { $0.source.contains("app") })
        #expect(reach.allowed.contains(packet))
    }
}
