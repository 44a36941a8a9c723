import PalisadeModel

/// An NSG rule compiled for one attachment point: its match as a packet set (docs/semantics.md#nsg-rule-model).
public struct CompiledSecurityRule: Sendable, Hashable {
    /// Rule name.
    public var name: String
    /// Priority (docs/semantics.md#nsg-evaluation-order).
    public var priority: Int
    /// Allow or deny.
    public var access: SecurityRule.Access
    /// The packets the rule matches (source × destination × protocol × ports).
    public let match: PacketSet
    /// Whether this is one of Azure's default rules (docs/semantics.md#nsg-default-rules).
    public var isDefault: Bool
    /// Whether the rule names an `AzurePlatform*` tag, the only rules that see platform traffic (docs/semantics.md#platform-traffic).
    public var targetsPlatform: Bool
    /// The bounding box of `match`, for skipping rules cheaply.
    public let envelope: PacketEnvelope

    /// Creates a compiled rule.
    public init(name: String, priority: Int, access: SecurityRule.Access, match: PacketSet, isDefault: Bool, targetsPlatform: Bool) {
        self.name = name
        self.priority = priority
        self.access = access
        self.match = match
        self.isDefault = isDefault
        self.targetsPlatform = targetsPlatform
        envelope = PacketEnvelope(match)
    }
}

/// One NSG in one direction, compiled for the subnet it is evaluated in (tags such as `VirtualNetwork` are
/// per subnet, docs/semantics.md#virtualnetwork-tag). Rules are sorted by priority, default rules last (docs/semantics.md#nsg-evaluation-order, #nsg-default-rules).
public struct CompiledSecurityGroup: Sendable, Hashable {
    /// The NSG.
    public var id: ResourceID
    /// Direction.
    public var direction: SecurityRule.Direction
    /// Rules in evaluation order.
    public var rules: [CompiledSecurityRule]

    /// The first rule that matches the packet (docs/semantics.md#nsg-evaluation-order); the default deny rules guarantee one exists.
    public func decide(_ packet: Packet) -> CompiledSecurityRule? {
        rules.first { $0.match.contains(packet) }
    }

    /// The rule that decides platform traffic to 168.63.129.16 / 169.254.169.254, or nil when no
    /// `AzurePlatform*` rule matches and the traffic is therefore not subject to the NSG (docs/semantics.md#platform-traffic).
    public func decidePlatform(_ packet: Packet) -> CompiledSecurityRule? {
        rules.first { $0.targetsPlatform && $0.match.contains(packet) }
    }

    /// The packets of `flows` the NSG allows (first match as set differences, docs/semantics.md#nsg-evaluation-order). When `sourceOverride`
    /// is set the rules see that source address instead of the flows' own sources (after SNAT).
    /// - Complexity: O(rules × cubes²) in the worst case.
    public func allowed(_ flows: PacketSet, sourceOverride: IPv4Address? = nil, platformOnly: Bool = false) -> PacketSet {
        var remaining = flows
        var allowed = PacketSet.empty
        let bounds = PacketEnvelope(flows)
        // By index: most rules are skipped by their envelopes, and skipping one should not copy it.
        for index in rules.indices where !platformOnly || rules[index].targetsPlatform {
            if remaining.isEmpty { break }
            let envelope = rules[index].envelope
            if !envelope.mayMeet(bounds, ignoringSource: sourceOverride != nil) { continue }
            if let snat = sourceOverride, !envelope.sourceHullContains(snat.value) { continue }
            let match = rules[index].match.viewed(withSource: sourceOverride)
            let hit = remaining.intersection(match)
            if hit.isEmpty { continue }
            // `hit` lies in `remaining`, which is disjoint from everything allowed so far.
            if rules[index].access == .allow { allowed = allowed.appendingDisjoint(hit) }
            remaining = remaining.subtracting(match)
        }
        return platformOnly ? allowed.appendingDisjoint(remaining) : allowed
    }
}

extension CompiledSecurityGroup {
    /// The group as a private endpoint applies it: source-port filters read as `*` (docs/semantics.md#private-endpoint-network-policies).
    public var ignoringSourcePorts: CompiledSecurityGroup {
        var copy = self
        copy.rules = rules.map { rule in
            CompiledSecurityRule(name: rule.name, priority: rule.priority, access: rule.access,
                                 match: PacketSet(disjoint: rule.match.cubes.map { cube in
                                     var widened = cube
                                     widened.sourcePorts = .allPorts
                                     return widened
                                 }),
                                 isDefault: rule.isDefault, targetsPlatform: rule.targetsPlatform)
        }
        return copy
    }

    /// Every packet to `destinations` the NSG allows (first match by destination partition).
    func allowed(toward destinations: AddressSet) -> PacketSet {
        FirstMatchPartition.allowed(rules.flatMap { rule in
            rule.match.cubes.map { FirstMatchPartition.Entry(cube: $0, allow: rule.access == .allow) }
        }, within: destinations)
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
