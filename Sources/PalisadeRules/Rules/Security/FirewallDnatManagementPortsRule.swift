import PalisadeModel

/// DNAT rules that publish SSH, RDP or WinRM to the whole internet (docs/semantics.md#firewall-dnat).
public struct FirewallDnatManagementPortsRule: Rule {
    public static let description = RuleDescription(
        id: "firewall_dnat_management_ports",
        title: "Firewall DNAT Management Ports",
        kind: .security,
        defaultSeverity: .error,
        rationale: """
        A DNAT rule translating traffic from any source to port 22, 3389, 5985 or 5986 on a private VM publishes VM \
        management on the firewall's public IP to the whole internet, and DNAT matches are not filtered by network \
        rules afterwards.
        """,
        source: "https://learn.microsoft.com/azure/firewall/rule-processing; docs/semantics.md#firewall-dnat",
        fix: "restrict the DNAT rule's source addresses to known public IPs, or remove it and use Azure Bastion",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/firewallPolicies", "apiVersion": "2023-09-01", "name": "fwpol", "location": "westeurope",
             "properties": {"sku": {"tier": "Standard"}, "threatIntelMode": "Deny"}},
            {"type": "Microsoft.Network/firewallPolicies/ruleCollectionGroups", "apiVersion": "2023-09-01", "name": "fwpol/dnat",
             "dependsOn": ["[resourceId('Microsoft.Network/firewallPolicies', 'fwpol')]"],
             "properties": {"priority": 100, "ruleCollections": [{"ruleCollectionType": "FirewallPolicyNatRuleCollection",
               "name": "inbound", "priority": 100, "action": {"type": "DNAT"}, "rules": [
                 {"ruleType": "NatRule", "name": "rdp", "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
                  "destinationAddresses": ["20.1.2.3"], "destinationPorts": ["50000"], "translatedAddress": "10.0.3.4", "translatedPort": "3389"},
                 {"ruleType": "NatRule", "name": "web", "ipProtocols": ["TCP"], "sourceAddresses": ["*"],
                  "destinationAddresses": ["20.1.2.3"], "destinationPorts": ["443"], "translatedAddress": "10.0.3.5", "translatedPort": "443"}]}]}}
            """, flagging: ["fwpol"]),
        ]
    )

    public init() {}

    private static let ports = [22, 3389, 5985, 5986]

    public func check(_ context: RuleContext) -> [Finding] {
        let classic: [Finding] = context.graph.all(AzureFirewall.self).compactMap { firewall in
            finding(context, firewall, Self.exposed(firewall.natRuleCollections))
        }
        let policies: [Finding] = context.graph.all(FirewallPolicy.self).compactMap { policy in
            finding(context, policy, Self.exposed(policy.ruleCollectionGroups.flatMap(\.ruleCollections)))
        }
        return classic + policies
    }

    private func finding<T: AzureResource>(_ context: RuleContext, _ resource: T, _ rules: [NatRule]) -> Finding? {
        guard !rules.isEmpty else { return nil }
        return context.finding(
            Self.self, resource,
            "firewall '\(resource.name)' publishes management ports to any internet source through DNAT rule(s) \(rules.map { "'\($0.name)'" }.joined(separator: ", "))",
            evidence: rules.map { .property(resource.id, "DNAT rule \($0.name)", "\($0.sourceAddresses.joined(separator: ",")) → \($0.destinationAddresses.joined(separator: ",")):\($0.destinationPorts.joined(separator: ",")) ⇒ \($0.translatedAddress ?? $0.translatedFqdn ?? "?"):\($0.translatedPort ?? "?")") })
    }

    /// DNAT rules open to any source whose original or translated port is a management port.
    private static func exposed(_ collections: [FirewallRuleCollection]) -> [NatRule] {
        collections.flatMap(\.rules).compactMap { rule -> NatRule? in
            guard case .nat(let r) = rule, r.sourceIPGroups.isEmpty,
                  r.sourceAddresses.isEmpty || r.sourceAddresses.contains(where: { AddressMatch.parse($0).isInternetWide }) else { return nil }
            let ports = (r.destinationPorts + [r.translatedPort].compactMap { $0 }).compactMap { PortMatch.parse([$0]) }
            return ports.contains { match in Self.ports.contains(where: match.contains) } ? r : nil
        }
    }
}

// MARK: - Fix

extension FirewallDnatManagementPortsRule {
    /// Deletes the DNAT rules that publish management ports; Bastion or the VPN replace them
    /// (https://learn.microsoft.com/azure/firewall/tutorial-firewall-dnat-policy, https://learn.microsoft.com/azure/bastion/bastion-overview).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        func prune(_ collections: [FirewallRuleCollection]) -> [FirewallRuleCollection] {
            let exposed = Set(Self.exposed(collections))
            return collections.compactMap { collection in
                var copy = collection
                copy.rules.removeAll { if case .nat(let r) = $0 { exposed.contains(r) } else { false } }
                return copy.rules.isEmpty && !collection.rules.isEmpty ? nil : copy
            }
        }
        let names: [String]
        if let policy = context.graph.resource(finding.subject, as: FirewallPolicy.self) {
            names = Self.exposed(policy.ruleCollectionGroups.flatMap(\.ruleCollections)).map(\.name)
        } else if let firewall = context.graph.resource(finding.subject, as: AzureFirewall.self) {
            names = Self.exposed(firewall.natRuleCollections).map(\.name)
        } else { return nil }
        return context.propose("delete DNAT rule(s) \(names.map { "'\($0)'" }.joined(separator: ", ")) from '\(finding.subject.name)'") { graph in
            graph.update(finding.subject, as: FirewallPolicy.self) { policy in
                for index in policy.ruleCollectionGroups.indices {
                    policy.ruleCollectionGroups[index].ruleCollections = prune(policy.ruleCollectionGroups[index].ruleCollections)
                }
            }
            graph.update(finding.subject, as: AzureFirewall.self) { $0.natRuleCollections = prune($0.natRuleCollections) }
        }
    }
}
