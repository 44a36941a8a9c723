import PalisadeModel

/// Custom NSG rule priorities must be 100…4096 (docs/semantics.md#nsg-evaluation-order).
public struct NetworkSecurityGroupPriorityRangeRule: Rule {
    public static let description = RuleDescription(
        id: "nsg_priority_range",
        title: "NSG Priority Range",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: "Custom security rules take priorities from 100 to 4096; the API rejects any other value, so the NSG does not deploy.",
        source: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
        fix: "renumber the rule into 100…4096",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "TooEarly", "properties": {"priority": 50, "direction": "Inbound", "access": "Deny", "protocol": "*",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}},
               {"name": "TooLate", "properties": {"priority": 5000, "direction": "Outbound", "access": "Deny", "protocol": "*",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}]}}
            """, flagging: ["nsg"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(NetworkSecurityGroup.self).compactMap { nsg in
            let bad = nsg.securityRules.filter { !(100...4096).contains($0.priority) }.sorted { $0.name < $1.name }
            guard !bad.isEmpty else { return nil }
            return context.finding(
                Self.self, nsg,
                "network security group '\(nsg.name)' has rules with priorities outside 100…4096: \(bad.map { "'\($0.name)' (\($0.priority))" }.joined(separator: ", "))",
                evidence: bad.map { .property(nsg.id, "properties.securityRules[\($0.name)].priority", String($0.priority)) })
        }
    }
}

// MARK: - Fix

extension NetworkSecurityGroupPriorityRangeRule {
    /// Renumbers the direction's rules into 100…4096 keeping their evaluation order
    /// (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard var nsg = context.graph.resource(finding.subject, as: NetworkSecurityGroup.self) else { return nil }
        for direction in SecurityRule.Direction.allCases {
            let ordered = nsg.securityRules.indices.filter { nsg.securityRules[$0].direction == direction }
                .sorted { (nsg.securityRules[$0].priority, nsg.securityRules[$0].name) < (nsg.securityRules[$1].priority, nsg.securityRules[$1].name) }
            guard ordered.contains(where: { !(100...4096).contains(nsg.securityRules[$0].priority) }) else { continue }
            guard ordered.count <= 3997 else { return nil }
            // Keep in-range priorities where the order allows, else spread the rules evenly.
            var previous = 99
            var fits = true
            var assigned: [Int] = []
            for (position, index) in ordered.enumerated() {
                let remaining = ordered.count - position - 1
                var priority = nsg.securityRules[index].priority
                if priority <= previous || priority > 4096 - remaining { priority = previous + 1 }
                if priority > 4096 - remaining { fits = false; break }
                assigned.append(priority)
                previous = priority
            }
            if !fits { assigned = ordered.indices.map { 100 + $0 * max(1, 3996 / max(1, ordered.count)) } }
            for (index, priority) in zip(ordered, assigned) { nsg.securityRules[index].priority = priority }
        }
        let fixed = nsg
        return context.propose("renumber the rules of '\(nsg.name)' into 100…4096, keeping their order") { $0.insert(fixed) }
    }
}
