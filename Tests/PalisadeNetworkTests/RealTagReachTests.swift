import PalisadeModel
import PropertyBased
import Testing
@testable import PalisadeNetwork

/// The fast paths `reach` takes on large estates (destination-partition first match, the interval-set memo,
/// route-part lookup by binary search, parallel workers) only engage with big address sets, which symbolic tags
/// never produce. These properties run them on the benchmark's estate shape with Microsoft's real tag data.
@Suite("reach with real service tags")
struct RealTagReachTests {
    /// Tags the synthetic estate's NSG and firewall rules name.
    static let tags = ["AzureActiveDirectory", "AzureMachineLearning", "Storage.EastUS", "AzureResourceManager", "AzureMonitor",
                       "MicrosoftContainerRegistry", "AzureFrontDoor.FirstParty", "BatchNodeManagement.EastUS"]

    /// A destination the rules care about: inside a tag, a spoke, a firewall rule's /16, or anywhere public.
    static func destination(_ rng: inout SplitMix, catalog: ServiceTagCatalog, spokes: Int) -> IPv4Address {
        switch rng.int(5) {
        case 0, 1:
            let prefixes = catalog.entry(rng.pick(tags))?.prefixes ?? []
            guard !prefixes.isEmpty else { return IPv4Address(52, 0, 0, 1) }
            let prefix = rng.pick(prefixes)
            return prefix.network.advanced(by: Int(rng.next() % prefix.size))
        case 2:
            let spoke = SyntheticEstate.spokeAddress(rng.int(spokes), subnetsPerSpoke: 2)
            return spoke.network.advanced(by: rng.int(4096))
        case 3:
            return IPv4Address(UInt8(100 + rng.int(100)), UInt8(rng.int(20)), UInt8(rng.int(256)), 9)
        default:
            return IPv4Address(UInt32(truncatingIfNeeded: rng.next()))
        }
    }

    /// A random concrete packet from `source` inside `set`, if the set holds one from that source.
    static func member(of set: PacketSet, source: IPv4Address, _ rng: inout SplitMix) -> Packet? {
        let cubes = set.cubes.filter { $0.source.contains(.ip(source)) && !$0.destination.ips.isEmpty }
        guard !cubes.isEmpty else { return nil }
        let cube = rng.pick(cubes)
        func value(in set: IntervalSet) -> UInt32 {
            let interval = rng.pick(set.intervals)
            return interval.lower + UInt32(rng.next() % (UInt64(interval.upper - interval.lower) + 1))
        }
        return Packet(source: .ip(source), destination: .ip(IPv4Address(value(in: cube.destination.ips))), protocol: rng.pick(cube.protocols.members),
                      sourcePort: Int(value(in: cube.sourcePorts)), destinationPort: Int(value(in: cube.destinationPorts)))
    }

    @Test func reachAgreesWithTraceOnTheBenchmarkShape() async throws {
        let catalog = Fixtures.serviceTags
        try #require(catalog.isLoaded, "the service-tag fixture is needed: \(Fixtures.serviceTagsPath)")
        var options = NetworkOptions()
        options.serviceTags = catalog
        await propertyCheck(count: 6, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            var rng = SplitMix(state: seed)
            let spokes = 3 + rng.int(4)
            let graph = SyntheticEstate.hubAndSpoke(spokes: spokes, subnetsPerSpoke: 2, rulesPerNSG: 8 + rng.int(16), firewallRules: 30 + rng.int(600))
            let model = NetworkModel.compile(graph, options: options)
            let report = model.reach()
            var verdicts: [Verdict: Int] = [:]
            for id in model.subnetOrder {
                guard let subnet = model.subnets[id], subnet.id.name != "AzureFirewallSubnet",
                      let sourceReach = report.sources.first(where: { $0.source == subnet.displayName }) else { continue }
                let source = subnet.prefixes[0].network.advanced(by: 4 + rng.int(20))
                for _ in 0..<12 {
                    let packet = Packet(source: .ip(source), destination: .ip(Self.destination(&rng, catalog: catalog, spokes: spokes)),
                                        protocol: rng.pick([.tcp, .udp, .icmp]), sourcePort: 50000,
                                        destinationPort: 443 + rng.int(12))
                    let trace = model.trace(packet: packet, from: .address(source))
                    verdicts[trace.verdict, default: 0] += 1
                    #expect((trace.verdict == .allowed) == sourceReach.allowed.contains(packet), "seed \(seed): \(packet)\n\(trace.text)")
                }
                for _ in 0..<6 {
                    guard let packet = Self.member(of: sourceReach.allowed, source: source, &rng) else { continue }
                    let trace = model.trace(packet: packet, from: .address(source))
                    verdicts[trace.verdict, default: 0] += 1
                    #expect(trace.verdict == .allowed, "seed \(seed): \(packet) is in reach\n\(trace.text)")
                }
            }
            // Most random packets are denied, so allowed ones are also drawn from the reach sets themselves.
            #expect(verdicts[.allowed, default: 0] > 0)
        }
    }

    /// The memo returns what the operation computes, for fresh operands, repeated ones and chains of results.
    @Test func intervalSetMemoIsTransparent() async {
        await propertyCheck(count: 60, input: Gen.uint32(in: 0...UInt32.max).array(of: 3)) { seeds in
            var rng = SplitMix(state: UInt64(seeds[0]) << 32 | UInt64(seeds[1]))
            func randomSet(_ count: Int) -> IntervalSet {
                IntervalSet((0..<count).map { _ in
                    let lower = UInt32(truncatingIfNeeded: rng.next()) % 1_000_000
                    return IntervalSet.Interval(lower, lower + UInt32(rng.int(3000)))
                })
            }
            let a = randomSet(80 + rng.int(200))
            let b = randomSet(1 + rng.int(300))
            let c = randomSet(70 + rng.int(100))
            let plain = [a.intersection(b), a.subtracting(b), a.union(b), a.intersection(b).subtracting(c).union(c.intersection(a))]
            let memo = IntervalSetMemo()
            IntervalSetMemo.$current.withValue(memo) {
                for _ in 0..<3 {
                    let remembered = [a.intersection(b), a.subtracting(b), a.union(b), a.intersection(b).subtracting(c).union(c.intersection(a))]
                    #expect(remembered == plain)
                }
            }
        }
    }
}
