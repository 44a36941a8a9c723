import PalisadeModel
import Testing
@testable import PalisadeNetwork

/// `reach` shares what an NSG allows between groups with the same rules (one NSG design on many subnets); a shared
/// result must be exactly what the group itself computes, and groups that differ must not share.
@Suite("NSG partitions shared between alike groups")
struct NSGPartitionCacheTests {
    /// The benchmark's shape with real tags: every subnet of a spoke has its own NSG with the same rules.
    static func model() throws -> NetworkModel {
        let catalog = Fixtures.serviceTags
        try #require(catalog.isLoaded, "the service-tag fixture is needed: \(Fixtures.serviceTagsPath)")
        var options = NetworkOptions()
        options.serviceTags = catalog
        return NetworkModel.compile(SyntheticEstate.hubAndSpoke(spokes: 4, subnetsPerSpoke: 4, rulesPerNSG: 16, firewallRules: 40),
                                    options: options)
    }

    /// With and without fingerprints (without, every group meets every other in one bucket, so the comparison of
    /// rules alone keeps them apart).
    @Test(arguments: [true, false]) func sharedResultsEqualDirectOnes(fingerprints: Bool) throws {
        let model = try Self.model()
        let cache = NSGPartitionCache(fingerprints: fingerprints)
        var groups = 0
        for id in model.subnetOrder {
            guard let subnet = model.subnets[id], let nsg = subnet.networkSecurityGroup else { continue }
            for direction in [SecurityRule.Direction.outbound, .inbound] {
                guard let group = model.securityGroup(nsg, in: id, direction) else { continue }
                for within in [AddressSet.all, subnet.addresses] {
                    // Twice: the first call may compute, the second must come from the cache.
                    #expect(cache.allowed(group, toward: within) == group.allowed(toward: within), "\(nsg.name) \(direction)")
                    #expect(cache.allowed(group, toward: within) == group.allowed(toward: within), "\(nsg.name) \(direction)")
                }
                groups += 1
            }
        }
        #expect(groups == 32)
    }

    @Test(arguments: [true, false]) func groupsThatDifferDoNotShare(fingerprints: Bool) throws {
        let model = try Self.model()
        let id = try #require(model.subnetOrder.first { model.subnets[$0]?.networkSecurityGroup != nil })
        let subnet = try #require(model.subnets[id])
        let nsg = try #require(subnet.networkSecurityGroup)
        let group = try #require(model.securityGroup(nsg, in: id, .outbound))
        let cache = NSGPartitionCache(fingerprints: fingerprints)
        let original = cache.allowed(group, toward: .all)
        // The same rules with the first allow turned into a deny: same envelopes and cube counts, other result.
        var changed = group
        let index = try #require(changed.rules.firstIndex { $0.access == .allow && !$0.isDefault })
        let rule = changed.rules[index]
        changed.rules[index] = CompiledSecurityRule(name: rule.name, priority: rule.priority, access: .deny, match: rule.match,
                                                    isDefault: rule.isDefault, targetsPlatform: rule.targetsPlatform)
        let denied = cache.allowed(changed, toward: .all)
        #expect(denied == changed.allowed(toward: .all))
        #expect(!denied.isEquivalent(to: original))
        // The same rules toward other destinations.
        let narrowed = cache.allowed(group, toward: subnet.addresses)
        #expect(narrowed == group.allowed(toward: subnet.addresses))
    }
}
