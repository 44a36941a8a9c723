import Foundation

/// What compiled NSGs allow toward a destination set (`CompiledSecurityGroup.allowed(toward:)`), shared by
/// every group with the same rules.
///
/// Groups compiled for different subnets are often identical rule for rule (one NSG design applied to many
/// subnets, or one NSG evaluated in several subnets of a VNet), and the destination partition depends only on the
/// rules' matches and actions, in order, and on the destinations. Groups are keyed by a cheap fingerprint (rule
/// count, actions, envelopes, cube counts) and confirmed by comparing matches, so a hit returns exactly what the
/// partition would compute. Thread-safe: `reach` shares one cache between its workers; a result computed twice
/// by two workers at once is the same set.
final class NSGPartitionCache: @unchecked Sendable {
    private struct Entry {
        var rules: [CompiledSecurityRule]
        var destinations: AddressSet
        var allowed: PacketSet
    }

    private let lock = NSLock()
    private var entries: [Int: [Entry]] = [:]
    private let fingerprints: Bool

    /// A cache; with `fingerprints` false every group lands in one bucket, so only the comparison of rules tells
    /// groups apart (for tests).
    init(fingerprints: Bool = true) { self.fingerprints = fingerprints }

    /// Every packet to `destinations` that `group` allows.
    func allowed(_ group: CompiledSecurityGroup, toward destinations: AddressSet) -> PacketSet {
        let fingerprint = fingerprints ? Self.fingerprint(group, destinations) : 0
        lock.lock()
        let candidates = entries[fingerprint] ?? []
        lock.unlock()
        for entry in candidates where entry.destinations == destinations && Self.sameDecisions(entry.rules, group.rules) {
            return entry.allowed
        }
        let allowed = group.allowed(toward: destinations)
        lock.lock()
        entries[fingerprint, default: []].append(Entry(rules: group.rules, destinations: destinations, allowed: allowed))
        lock.unlock()
        return allowed
    }

    /// A hash of what is cheap to read: rule count, actions, envelopes, cube counts, the destinations' hull.
    private static func fingerprint(_ group: CompiledSecurityGroup, _ destinations: AddressSet) -> Int {
        var hasher = Hasher()
        hasher.combine(group.rules.count)
        for rule in group.rules {
            hasher.combine(rule.access == .allow)
            hasher.combine(rule.envelope)
            hasher.combine(rule.match.cubes.count)
        }
        hasher.combine(destinations.ips.intervals.count)
        hasher.combine(destinations.ips.intervals.first)
        hasher.combine(destinations.ips.intervals.last)
        return hasher.finalize()
    }

    /// Whether two rule lists match the same packets with the same actions, in the same order (all the destination
    /// partition reads).
    private static func sameDecisions(_ a: [CompiledSecurityRule], _ b: [CompiledSecurityRule]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where (x.access == .allow) != (y.access == .allow) || x.match != y.match { return false }
        return true
    }
}
