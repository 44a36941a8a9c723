import PalisadeModel

/// In AllowInternetOutbound mode a managed network takes only private-endpoint outbound rules (E14).
public struct ManagedNetworkRuleModeRule: Rule {
    public static let description = RuleDescription(
        id: "managed_network_rule_mode",
        title: "Managed Network Rule Mode",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        A managed network that allows internet outbound already reaches every public destination, so the API \
        rejects FQDN and service-tag rules with: Only "PrivateEndpoint" outbound rules are supported when managed \
        network isolation mode is "AllowInternetOutbound".
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network",
        fix: "switch the workspace to AllowOnlyApprovedOutbound, or remove the FQDN and service-tag rules",
        passingExamples: [.spec("{}"), .spec("workspace: {managedNetwork: {isolationMode: AllowInternetOutbound}}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"publicNetworkAccess": "Disabled", "managedNetwork": {"isolationMode": "AllowInternetOutbound",
              "outboundRules": {"pypi": {"type": "FQDN", "destination": "pypi.org", "category": "UserDefined"}}}}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MachineLearningWorkspace.self).compactMap { workspace in
            guard workspace.managedNetwork.isolationMode == .allowInternetOutbound else { return nil }
            let rejected = workspace.managedNetwork.outboundRules.filter {
                $0.kind != .privateEndpoint && $0.category.lowercased() == "userdefined"
            }
            guard !rejected.isEmpty else { return nil }
            return context.finding(
                Self.self, workspace,
                "workspace '\(workspace.name)' allows internet outbound but declares \(rejected.map { "\($0.kind.rawValue) rule '\($0.name)'" }.joined(separator: ", ")); deployment will fail with 'Only \"PrivateEndpoint\" outbound rules are supported when managed network isolation mode is \"AllowInternetOutbound\"'",
                evidence: [.property(workspace.id, "properties.managedNetwork.isolationMode", "AllowInternetOutbound")]
                    + rejected.map { .property(workspace.id, "properties.managedNetwork.outboundRules.\($0.name).type", $0.kind.rawValue) })
        }
    }
}

// MARK: - Fix

extension ManagedNetworkRuleModeRule {
    /// Removes the FQDN and service-tag rules, which the AllowInternetOutbound mode rejects and does not need
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#configure-a-managed-virtual-network-to-allow-internet-outbound).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let workspace = context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) else { return nil }
        let rejected = workspace.managedNetwork.outboundRules.filter { $0.kind != .privateEndpoint && $0.category.lowercased() == "userdefined" }
        return context.propose("remove outbound rule(s) \(rejected.map { "'\($0.name)'" }.joined(separator: ", ")) from '\(workspace.name)' (AllowInternetOutbound already allows them)") {
            $0.update(workspace.id, as: MachineLearningWorkspace.self) { ws in
                ws.managedNetwork.outboundRules.removeAll { $0.kind != .privateEndpoint && $0.category.lowercased() == "userdefined" }
            }
        }
    }
}
