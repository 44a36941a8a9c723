import PalisadeModel

/// Threat intelligence should block known-malicious destinations, not only log them (docs/semantics.md#firewall-threat-intelligence; checkov CKV_AZURE_216).
public struct FirewallThreatIntelModeRule: Rule {
    public static let description = RuleDescription(
        id: "firewall_threat_intel_mode",
        title: "Firewall Threat Intel Mode",
        kind: .security,
        defaultSeverity: .warning,
        rationale: """
        In Alert mode (the default) or Off, Azure Firewall lets traffic to and from Microsoft's known-malicious IPs and \
        domains through when a rule allows it; Deny drops it before the rules are evaluated. A firewall with a \
        policy takes the policy's mode.
        """,
        source: "https://learn.microsoft.com/azure/firewall/threat-intel; docs/defaults.md (threat intel Deny); checkov CKV_AZURE_216",
        fix: "set threatIntelMode to Deny on the firewall policy (or on the firewall when it uses classic rules)",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("firewall: {threatIntelMode: Alert}", flagging: ["afwp-test"]),
            .arm("""
            {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2023-09-01", "name": "fw-classic", "location": "westeurope",
             "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"}}},
            {"type": "Microsoft.Network/firewallPolicies", "apiVersion": "2023-09-01", "name": "fwpol", "location": "westeurope",
             "properties": {"sku": {"tier": "Standard"}, "threatIntelMode": "Deny"}},
            {"type": "Microsoft.Network/azureFirewalls", "apiVersion": "2023-09-01", "name": "fw-policy", "location": "westeurope",
             "properties": {"sku": {"name": "AZFW_VNet", "tier": "Standard"}, "threatIntelMode": "Alert",
              "firewallPolicy": {"id": "[resourceId('Microsoft.Network/firewallPolicies', 'fwpol')]"}}}
            """, flagging: ["fw-classic"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let firewalls: [Finding] = context.graph.all(AzureFirewall.self).compactMap { firewall in
            guard firewall.firewallPolicy == nil, firewall.skuTier.lowercased() != "basic", firewall.threatIntelMode != .deny else { return nil }
            return context.finding(Self.self, firewall, "firewall '\(firewall.name)' has threat intelligence mode \(firewall.threatIntelMode.rawValue); known-malicious traffic is not blocked",
                                   evidence: [.property(firewall.id, "properties.threatIntelMode", "\(firewall.threatIntelMode.rawValue) (Alert when unset)")],
                                   property: "properties.threatIntelMode")
        }
        let policies: [Finding] = context.graph.all(FirewallPolicy.self).compactMap { policy in
            guard policy.skuTier.lowercased() != "basic", policy.threatIntelMode != .deny else { return nil }
            return context.finding(Self.self, policy, "firewall policy '\(policy.name)' has threat intelligence mode \(policy.threatIntelMode.rawValue); known-malicious traffic is not blocked",
                                   evidence: [.property(policy.id, "properties.threatIntelMode", "\(policy.threatIntelMode.rawValue) (Alert when unset)")],
                                   property: "properties.threatIntelMode")
        }
        return firewalls + policies
    }
}

// MARK: - Fix

extension FirewallThreatIntelModeRule {
    /// Sets threat intelligence to Alert and deny on the policy, or on a classic-rules firewall
    /// (https://learn.microsoft.com/azure/firewall/threat-intel).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let spec = [SpecPatch("firewall.threatIntelMode", "Deny")]
        if context.graph.resource(finding.subject, as: FirewallPolicy.self) != nil {
            return context.propose("set threatIntelMode to Deny on firewall policy '\(finding.subject.name)'", spec: spec) {
                $0.update(finding.subject, as: FirewallPolicy.self) { $0.threatIntelMode = .deny }
            }
        }
        guard context.graph.resource(finding.subject, as: AzureFirewall.self) != nil else { return nil }
        return context.propose("set threatIntelMode to Deny on firewall '\(finding.subject.name)'", spec: spec) {
            $0.update(finding.subject, as: AzureFirewall.self) { $0.threatIntelMode = .deny }
        }
    }
}
