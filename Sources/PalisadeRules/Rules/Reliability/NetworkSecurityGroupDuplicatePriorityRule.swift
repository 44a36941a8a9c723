import PalisadeModel

/// Two rules of one direction cannot share a priority (docs/semantics.md#nsg-evaluation-order).
public struct NetworkSecurityGroupDuplicatePriorityRule: Rule {
    public static let description = RuleDescription(
        id: "nsg_duplicate_priority",
        title: "NSG Duplicate Priority",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        An NSG evaluates rules by priority and stops at the first match, so two rules with the same priority and \
        direction would be ambiguous; the API rejects the NSG (SecurityRuleConflict) and the deployment fails.
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
        fix: "give every rule of a direction its own priority",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowHttps", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "443"}},
               {"name": "AllowSsh", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}},
               {"name": "AllowOut", "properties": {"priority": 100, "direction": "Outbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "VirtualNetwork", "destinationPortRange": "443"}}]}},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-ok", "location": "westeurope",
             "properties": {"securityRules": [
               {"name": "AllowHttps", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                "sourceAddressPrefix": "VirtualNetwork", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "443"}}]}}
            """, flagging: ["nsg"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(NetworkSecurityGroup.self).compactMap { nsg in
            let groups = Dictionary(grouping: nsg.securityRules) { "\($0.direction.rawValue) \($0.priority)" }
                .filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
            guard !groups.isEmpty else { return nil }
            return context.finding(
                Self.self, nsg,
                "network security group '\(nsg.name)' has rules sharing a priority: \(groups.map { "\($0.value.map(\.name).joined(separator: " and ")) (\($0.key))" }.joined(separator: "; ")); the deployment will be rejected",
                evidence: groups.flatMap { $0.value.map { .property(nsg.id, "properties.securityRules[\($0.name)].priority", "\($0.priority) \($0.direction.rawValue)") } })
        }
    }
}

// MARK: - Fix

extension NetworkSecurityGroupDuplicatePriorityRule {
    /// Gives each rule that shares a priority the next free priority before the following rule, so the order the
    /// rules were listed in is kept (https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard var nsg = context.graph.resource(finding.subject, as: NetworkSecurityGroup.self) else { return nil }
        for direction in SecurityRule.Direction.allCases {
            let ordered = nsg.securityRules.indices.filter { nsg.securityRules[$0].direction == direction }
                .sorted { (nsg.securityRules[$0].priority, $0) < (nsg.securityRules[$1].priority, $1) }  // listed order within a priority
            var used = Set<Int>()
            for (position, index) in ordered.enumerated() {
                let priority = nsg.securityRules[index].priority
                guard used.contains(priority) else { used.insert(priority); continue }
                let next = ordered[(position + 1)...].map { nsg.securityRules[$0].priority }.first { $0 > priority } ?? 4097
                guard let free = ((priority + 1)..<min(next, 4097)).first(where: { !used.contains($0) }) else { return nil }
                nsg.securityRules[index].priority = free
                used.insert(free)
            }
        }
        let fixed = nsg
        return context.propose("give each rule of '\(nsg.name)' its own priority, keeping their order") { $0.insert(fixed) }
    }
}
