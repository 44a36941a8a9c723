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
