import PalisadeModel

/// NSG rules fully covered by an earlier rule of the same direction never match (docs/semantics.md#nsg-evaluation-order).
public struct NetworkSecurityGroupShadowedRuleRule: Rule {
    public static let description = RuleDescription(
        id: "nsg_rule_shadowed",
        title: "NSG Rule Shadowed",
        kind: .hygiene,
        defaultSeverity: .warning,
        rationale: """
        An NSG stops at the first matching rule, so a rule whose protocol, sources, ports and destinations all fall \
        inside an earlier (lower-numbered) rule of the same direction can never match. It is dead configuration at \
        best; when its action differs, the intent it states is silently overridden.
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview; docs/semantics.md#nsg-evaluation-order",
        fix: "remove the shadowed rule, or give it a lower priority number than the rule that covers it",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "DenyInternet", "properties": {"priority": 100, "direction": "Outbound", "access": "Deny", "protocol": "*",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "Internet", "destinationPortRange": "*"}},
               {"name": "AllowHttpsOut", "properties": {"priority": 200, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "10.0.0.0/24", "sourcePortRange": "*", "destinationAddressPrefix": "Internet", "destinationPortRange": "443"}},
               {"name": "AllowStorage", "properties": {"priority": 300, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "Storage", "destinationPortRange": "443"}}]}},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-ok", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowSsh", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "10.0.250.0/26", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}},
               {"name": "AllowSshWide", "properties": {"priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "10.0.0.0/16", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}}
            """, flagging: ["nsg"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(NetworkSecurityGroup.self).compactMap { nsg in
            var pairs: [(shadowed: SecurityRule, by: SecurityRule)] = []
            for direction in SecurityRule.Direction.allCases {
                let ordered = nsg.securityRules.filter { $0.direction == direction }.sorted { ($0.priority, $0.name) < ($1.priority, $1.name) }
                for (index, rule) in ordered.enumerated() {
                    if let earlier = ordered[..<index].first(where: { Self.covers($0, rule) }) { pairs.append((rule, earlier)) }
                }
            }
            guard !pairs.isEmpty else { return nil }
            return context.finding(
                Self.self, nsg,
                "network security group '\(nsg.name)' has rules that can never match: \(pairs.map { "'\($0.shadowed.name)' (covered by '\($0.by.name)')" }.joined(separator: ", "))",
                evidence: pairs.flatMap { [.property(nsg.id, "properties.securityRules[\($0.shadowed.name)]", "never matches: \($0.shadowed.summary)"),
                                           .property(nsg.id, "properties.securityRules[\($0.by.name)]", "matches first: \($0.by.summary)")] })
        }
    }

    /// Whether every packet `later` matches is matched by `earlier`.
    private static func covers(_ earlier: SecurityRule, _ later: SecurityRule) -> Bool {
        (earlier.protocol == .any || earlier.protocol == later.protocol)
            && covers(earlier.source, later.source) && covers(earlier.destination, later.destination)
            && covers(earlier.sourcePorts, later.sourcePorts) && covers(earlier.destinationPorts, later.destinationPorts)
    }

    private static func covers(_ outer: AddressMatch, _ inner: AddressMatch) -> Bool {
        switch (outer, inner) {
        case (.any, _): true
        case (.serviceTag(let a), .serviceTag(let b)): a.lowercased() == b.lowercased()
        case (.serviceTag(let a), .prefixes(let prefixes)):
            a.lowercased() == "internet" && prefixes.allSatisfy { p in !IPv4Prefix.privateRanges.contains { $0.overlaps(p) } }
        case (.prefixes(let outer), .prefixes(let inner)): inner.allSatisfy { q in outer.contains { $0.contains(q) } }
        case (.applicationSecurityGroups(let outer), .applicationSecurityGroups(let inner)): Set(inner).isSubset(of: Set(outer))
        default: false
        }
    }

    private static func covers(_ outer: PortMatch, _ inner: PortMatch) -> Bool {
        switch (outer, inner) {
        case (.any, _): true
        case (.ranges, .any): false
        case (.ranges(let outer), .ranges(let inner)):
            inner.allSatisfy { r in outer.contains { $0.lower <= r.lower && r.upper <= $0.upper } }
        }
    }
}

// MARK: - Fix

extension NetworkSecurityGroupShadowedRuleRule {
    /// Deletes the rules that can never match; what the group allows and denies stays the same
    /// (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let nsg = context.graph.resource(finding.subject, as: NetworkSecurityGroup.self) else { return nil }
        var dead = Set<String>()
        for direction in SecurityRule.Direction.allCases {
            let ordered = nsg.securityRules.filter { $0.direction == direction }.sorted { ($0.priority, $0.name) < ($1.priority, $1.name) }
            for (index, rule) in ordered.enumerated() where ordered[..<index].contains(where: { Self.covers($0, rule) }) { dead.insert(rule.name) }
        }
        guard !dead.isEmpty else { return nil }
        return context.propose("delete \(dead.sorted().map { "'\($0)'" }.joined(separator: ", ")) from '\(nsg.name)' (they never match)") { graph in
            graph.update(nsg.id, as: NetworkSecurityGroup.self) { $0.securityRules.removeAll { dead.contains($0.name) } }
        }
    }
}
