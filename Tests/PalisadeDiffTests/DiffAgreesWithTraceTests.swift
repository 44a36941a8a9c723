import PalisadeModel
import PalisadeNetwork
import PropertyBased
import Testing
@testable import PalisadeDiff

@Suite("diff agrees with trace on both versions")
struct DiffAgreesWithTraceTests {
    /// For random estates and one random edit, a packet is in `opened` exactly when `trace` denies it before and
    /// allows it after, and in `closed` exactly in the reverse case; every witness trace is allowed.
    @Test func diffMatchesPerPacketTrace() async {
        await propertyCheck(count: 60, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let before = RandomChange.estate(seed: seed)
            let (after, edit) = RandomChange.edit(before, seed: seed ^ 0x5EED)
            let old = NetworkModel.compile(before)
            let new = NetworkModel.compile(after)
            let diff = ReachabilityDiff.compute(before: old, after: new)
            let deltas = Dictionary(diff.deltas.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
            var rng = SplitMix(state: seed ^ 0xD1FF)
            let hosts = (1...2).flatMap { s in (0...1).flatMap { k in [4, 5, 9].map { IPv4Address(10, UInt8(s), UInt8(k), UInt8($0)) } } }
            for _ in 0..<40 {
                let host = rng.pick(hosts)
                let packet = RandomChange.packet(&rng, source: host)
                let was = old.trace(packet: packet, from: .address(host)).verdict == .allowed
                let isNow = new.trace(packet: packet, from: .address(host)).verdict == .allowed
                // The source's name on each side (a NIC with its own NSG is its own source).
                let names = [old, new].map { model in model.endpoints[host].flatMap { $0.networkSecurityGroup != nil ? $0.displayName : nil }
                    ?? model.subnet(containing: host)?.displayName ?? "" }
                let opened = names.contains { deltas[$0]?.opened.contains(packet) ?? false }
                let closed = names.contains { deltas[$0]?.closed.contains(packet) ?? false }
                if names[0] == names[1] {
                    #expect(opened == (!was && isNow), "seed \(seed) \(edit): opened \(packet)")
                    #expect(closed == (was && !isNow), "seed \(seed) \(edit): closed \(packet)")
                } else {
                    // The host moved from one source to another (its NIC gained or lost its own NSG): the relation
                    // is keyed by source, so the packet leaves the old source and joins the new one.
                    #expect((deltas[names[1]]?.opened.contains(packet) ?? false) == isNow, "seed \(seed) \(edit): moved \(packet)")
                    #expect((deltas[names[0]]?.closed.contains(packet) ?? false) == was, "seed \(seed) \(edit): moved \(packet)")
                }
            }
            // From the Internet, to every public address of either version.
            for _ in 0..<15 {
                let target = rng.pick([IPv4Address(20, 9, 9, 9), IPv4Address(20, 0, 0, 4), IPv4Address(20, 0, 1, 5), IPv4Address(20, 0, 2, 4), IPv4Address(20, 0, 3, 5)])
                let packet = Packet(source: .ip(IPv4Address(203, 0, 113, 7)), destination: .ip(target), protocol: rng.pick([.tcp, .udp]),
                                    destinationPort: rng.pick([22, 443]))
                let was = old.trace(packet: packet, from: .internet).verdict == .allowed
                let isNow = new.trace(packet: packet, from: .internet).verdict == .allowed
                #expect((deltas["internet"]?.opened.contains(packet) ?? false) == (!was && isNow), "seed \(seed) \(edit): internet \(packet)")
                #expect((deltas["internet"]?.closed.contains(packet) ?? false) == (was && !isNow), "seed \(seed) \(edit): internet \(packet)")
            }
            // Witnesses are allowed in the version they come from.
            let review = ChangeReview.review(before: ReviewInput(graph: before, label: "before"), beforeModel: old,
                                             after: ReviewInput(graph: after, label: "after"), afterModel: new)
            for flow in review.opened + review.closed {
                #expect(flow.witness?.verdict == .allowed, "seed \(seed) \(edit): witness of \(flow.source) → \(flow.destination.text)\n\(flow.witness?.text ?? "none")")
            }
        }
    }

    /// NSG edits whose rules only matter to some sources: every NSG gains one inbound rule from a random source
    /// (the Internet, a service tag, a private range, anything). Subnets whose NSGs decide alike for private sources
    /// are not followed; the result is still the full relation difference, and an edit that only concerns
    /// Internet sources follows no subnet at all.
    @Test func groupEditsSeenOnlyByTheInternetReuseEverySubnet() async {
        await propertyCheck(count: 30, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let before = RandomChange.estate(seed: seed)
            var rng = SplitMix(state: seed ^ 0x0BE5)
            let source = rng.pick(RandomChange.addresses)
            var after = before
            for nsg in before.all(NetworkSecurityGroup.self) {
                after.update(nsg.id, as: NetworkSecurityGroup.self) { group in
                    group.securityRules.insert(SecurityRule(name: "edit", priority: 99, direction: .inbound, access: rng.bool() ? .allow : .deny,
                                                            protocol: .tcp, source: source, sourcePorts: .any, destination: .any,
                                                            destinationPorts: .ports(22)), at: 0)
                }
            }
            let old = NetworkModel.compile(before)
            let new = NetworkModel.compile(after)
            let diff = ReachabilityDiff.compute(before: old, after: new)
            let a = Dictionary(old.reach().sources.map { ($0.source, $0.allowed) }, uniquingKeysWith: { x, _ in x })
            let b = Dictionary(new.reach().sources.map { ($0.source, $0.allowed) }, uniquingKeysWith: { x, _ in x })
            let got = Dictionary(diff.deltas.map { ($0.source, $0) }, uniquingKeysWith: { x, _ in x })
            for name in Set(a.keys).union(b.keys) {
                let opened = (b[name] ?? .empty).subtracting(a[name] ?? .empty)
                let closed = (a[name] ?? .empty).subtracting(b[name] ?? .empty)
                #expect(opened.isEquivalent(to: got[name]?.opened ?? .empty), "seed \(seed) from \(source): opened from \(name)")
                #expect(closed.isEquivalent(to: got[name]?.closed ?? .empty), "seed \(seed) from \(source): closed from \(name)")
            }
            if source == .serviceTag("Internet") || source == .serviceTag("Storage") || source == cidrs("8.8.8.0/24") {
                // Only the Internet source (the estate has no VPN clients or managed networks) is followed.
                #expect(diff.recomputedSources == 2, "seed \(seed) from \(source): \(diff.recomputedSources) sources followed")
            }
        }
    }

    /// Reusing unchanged sources gives the same relation difference as recomputing every source.
    @Test func incrementalEqualsFull() async {
        await propertyCheck(count: 40, input: Gen.uint64(in: 0...UInt64.max)) { seed in
            let before = RandomChange.estate(seed: seed)
            let (after, edit) = RandomChange.edit(before, seed: seed ^ 0xFACE)
            let old = NetworkModel.compile(before)
            let new = NetworkModel.compile(after)
            let diff = ReachabilityDiff.compute(before: old, after: new)
            let a = Dictionary(old.reach().sources.map { ($0.source, $0.allowed) }, uniquingKeysWith: { x, _ in x })
            let b = Dictionary(new.reach().sources.map { ($0.source, $0.allowed) }, uniquingKeysWith: { x, _ in x })
            let got = Dictionary(diff.deltas.map { ($0.source, $0) }, uniquingKeysWith: { x, _ in x })
            for name in Set(a.keys).union(b.keys) {
                let opened = (b[name] ?? .empty).subtracting(a[name] ?? .empty)
                let closed = (a[name] ?? .empty).subtracting(b[name] ?? .empty)
                #expect(opened.isEquivalent(to: got[name]?.opened ?? .empty), "seed \(seed) \(edit): opened from \(name)")
                #expect(closed.isEquivalent(to: got[name]?.closed ?? .empty), "seed \(seed) \(edit): closed from \(name)")
            }
        }
    }
}
