import PalisadeModel
import Testing
@testable import PalisadeNetwork

@Suite("Synthetic estate")
struct SyntheticEstateTests {
    @Test func smallHubAndSpokeCompilesTracesAndReaches() {
        let graph = SyntheticEstate.hubAndSpoke(spokes: 3, subnetsPerSpoke: 2, rulesPerNSG: 6, firewallRules: 30)
        #expect(graph == SyntheticEstate.hubAndSpoke(spokes: 3, subnetsPerSpoke: 2, rulesPerNSG: 6, firewallRules: 30))
        let model = NetworkModel.compile(graph)
        #expect(model.subnets.count == 7)
        #expect(model.firewalls.count == 1)
        let source = model.subnetOrder.first { $0.name == "sn0" && $0.parent?.name == "spoke0" }!
        let report = model.reach(from: .subnet(source))
        let reach = report.sources[0]
        // Every packet the reach set allows from a VM address traces as allowed, and a sample outside as denied.
        let vm = model.subnets[source]!.prefixes[0].firstAzureUsable
        for cube in reach.allowed.cubes.prefix(20) {
            guard let dst = cube.destination.ips.first.map({ IPv4Address($0) }), let port = cube.destinationPorts.first,
                  let proto = cube.protocols.members.first, cube.source.contains(.ip(vm)), let sport = cube.sourcePorts.first else { continue }
            let packet = Packet(source: .ip(vm), destination: .ip(dst), protocol: proto, sourcePort: Int(sport), destinationPort: Int(port))
            #expect(model.trace(packet: packet, from: .address(vm)).verdict == .allowed, "\(packet)")
        }
        #expect(model.trace(from: .address(vm), to: .address(ip("93.184.216.34")), port: 443).verdict == .denied)
    }
}
