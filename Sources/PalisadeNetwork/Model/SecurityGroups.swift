import PalisadeModel

/// An NSG rule compiled for one attachment point: its match as a packet set (N1–N5).
public struct CompiledSecurityRule: Sendable, Hashable {
    /// Rule name.
    public var name: String
    /// Priority (N6).
    public var priority: Int
    /// Allow or deny.
    public var access: SecurityRule.Access
    /// The packets the rule matches (source × destination × protocol × ports).
    public var match: PacketSet
    /// Whether this is one of Azure's default rules (N9).
    public var isDefault: Bool
    /// Whether the rule names an `AzurePlatform*` tag, the only rules that see platform traffic (N23).
    public var targetsPlatform: Bool
}

/// One NSG in one direction, compiled for the subnet it is evaluated in (tags such as `VirtualNetwork` are
/// per subnet, N20). Rules are sorted by priority, default rules last (N6, N7, N9).
public struct CompiledSecurityGroup: Sendable, Hashable {
    /// The NSG.
    public var id: ResourceID
    /// Direction.
    public var direction: SecurityRule.Direction
    /// Rules in evaluation order.
    public var rules: [CompiledSecurityRule]

    /// The first rule that matches the packet (N7); the default deny rules guarantee one exists.
    public func decide(_ packet: Packet) -> CompiledSecurityRule? {
        rules.first { $0.match.contains(packet) }
    }

    /// The rule that decides platform traffic to 168.63.129.16 / 169.254.169.254, or nil when no
    /// `AzurePlatform*` rule matches and the traffic is therefore not subject to the NSG (N23).
    public func decidePlatform(_ packet: Packet) -> CompiledSecurityRule? {
        rules.first { $0.targetsPlatform && $0.match.contains(packet) }
    }

    /// The packets of `flows` the NSG allows (first match as set differences, N7). When `sourceOverride`
    /// is set the rules see that source address instead of the flows' own sources (after SNAT).
    /// - Complexity: O(rules × cubes²) in the worst case.
    public func allowed(_ flows: PacketSet, sourceOverride: IPv4Address? = nil, platformOnly: Bool = false) -> PacketSet {
        var remaining = flows
        var allowed = PacketSet.empty
        let bounds = flows.bounds
        for rule in rules where !platformOnly || rule.targetsPlatform {
            if remaining.isEmpty { break }
            if sourceOverride == nil, !rule.match.mayIntersect(bounds) { continue }
            let match = rule.match.viewed(withSource: sourceOverride)
            let hit = remaining.intersection(match)
            if hit.isEmpty { continue }
            if rule.access == .allow { allowed = allowed.union(hit) }
            remaining = remaining.subtracting(match)
        }
        return platformOnly ? allowed.union(remaining) : allowed
    }
}

extension PacketSet {
    /// The set as seen by flows whose source is rewritten to `source`: the cubes that contain `source`,
    /// with their source dimension widened to everything. Identity when `source` is nil.
    func viewed(withSource source: IPv4Address?) -> PacketSet {
        guard let source else { return self }
        return PacketSet(cubes: cubes.filter { $0.source.ips.contains(source.value) }.map {
            var cube = $0
            cube.source = .all
            return cube
        })
    }
}
