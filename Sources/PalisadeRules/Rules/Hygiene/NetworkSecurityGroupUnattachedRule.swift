import PalisadeModel

/// An NSG attached to no subnet and no NIC filters nothing (PSRule Azure.NSG.Associated).
public struct NetworkSecurityGroupUnattachedRule: Rule {
    public static let description = RuleDescription(
        id: "nsg_unattached",
        title: "NSG Unattached",
        kind: .hygiene,
        defaultSeverity: .note,
        rationale: """
        A network security group takes effect only on the subnets and NICs it is attached to; one attached to \
        nothing is dead configuration, and often a sign that the subnet meant to carry it has none.
        """,
        source: "https://learn.microsoft.com/azure/virtual-network/network-security-group-how-it-works; PSRule Azure.NSG.Associated",
        fix: "attach the NSG to the subnet it was written for, or delete it",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-orphan", "location": "westeurope",
             "properties": {"securityRules": []}},
            {"type": "Microsoft.Network/networkSecurityGroups", "apiVersion": "2023-09-01", "name": "nsg-used", "location": "westeurope",
             "properties": {"securityRules": []}},
            {"type": "Microsoft.Network/virtualNetworks", "apiVersion": "2023-09-01", "name": "vnet", "location": "westeurope",
             "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
              "subnets": [{"name": "training", "properties": {"addressPrefix": "10.0.0.0/24",
                "networkSecurityGroup": {"id": "[resourceId('Microsoft.Network/networkSecurityGroups', 'nsg-used')]"}}}]}}
            """, flagging: ["nsg-orphan"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let attached = Set(context.graph.all(Subnet.self).compactMap(\.networkSecurityGroup)
            + context.graph.all(NetworkInterface.self).compactMap(\.networkSecurityGroup))
        return context.graph.all(NetworkSecurityGroup.self).filter { !attached.contains($0.id) }.map { nsg in
            context.finding(Self.self, nsg, "network security group '\(nsg.name)' is attached to no subnet or network interface",
                            evidence: [.related(nsg.id, "no subnet or NIC references it")])
        }
    }
}

// MARK: - Fix

extension NetworkSecurityGroupUnattachedRule {
    /// Removes the unattached group: it filters nothing (https://learn.microsoft.com/azure/virtual-network/manage-network-security-group#delete-a-network-security-group).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: NetworkSecurityGroup.self) != nil else { return nil }
        return context.propose("delete network security group '\(finding.subject.name)' (or attach it where it was meant to apply)") {
            $0.remove(finding.subject)
        }
    }
}
