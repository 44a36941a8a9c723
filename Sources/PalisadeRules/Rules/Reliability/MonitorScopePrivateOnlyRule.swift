import PalisadeModel

/// Azure Machine Learning needs the Azure Monitor Private Link Scope in Open access mode
/// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#azure-monitor).
public struct MonitorScopePrivateOnlyRule: Rule {
    public static let description = RuleDescription(
        id: "monitor_scope_private_only",
        title: "Monitor Scope Private Only",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Microsoft's network-isolation guide for Azure Machine Learning says: "Azure Monitor supports using Azure \
        Private Link to connect to a VNet. However, you must use the open Private Link mode in Azure Monitor." \
        With ingestion or query mode PrivateOnly, every network sharing the scope's DNS can reach only the Azure \
        Monitor resources inside the scope, and the service's own monitoring from those networks fails.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#azure-monitor, https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security#private-link-access-modes-private-only-vs-open",
        fix: "set the scope's ingestionAccessMode and queryAccessMode to Open; keep the environment's own Log Analytics and Application Insights in the scope",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("monitoring: {accessMode: PrivateOnly}", flagging: ["ampls-test"]),
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {}},
            {"type": "microsoft.insights/privatelinkscopes", "apiVersion": "2021-07-01-preview", "name": "ampls", "location": "global",
             "properties": {"accessModeSettings": {"ingestionAccessMode": "PrivateOnly", "queryAccessMode": "Open"}}}
            """, flagging: ["ampls"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        guard !context.graph.all(MachineLearningWorkspace.self).isEmpty else { return [] }
        return context.graph.all(MonitorPrivateLinkScope.self).compactMap { scope in
            let closed = [("ingestion", scope.ingestionAccessMode), ("query", scope.queryAccessMode)]
                .filter { $0.1.lowercased() == "privateonly" }
            guard !closed.isEmpty else { return nil }
            return context.finding(
                Self.self, scope,
                "private link scope '\(scope.name)' has \(closed.map(\.0).joined(separator: " and ")) access mode PrivateOnly; Azure Machine Learning requires the open Private Link mode of Azure Monitor",
                evidence: closed.map { .property(scope.id, "properties.accessModeSettings.\($0.0)AccessMode", $0.1) },
                property: "properties.accessModeSettings.\(closed[0].0)AccessMode")
        }
    }
}

// MARK: - Fix

extension MonitorScopePrivateOnlyRule {
    /// Sets both access modes to Open (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design#control-how-private-links-apply-to-your-networks,
    /// https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#limitations).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: MonitorPrivateLinkScope.self) != nil else { return nil }
        return context.propose("set ingestionAccessMode and queryAccessMode to Open on '\(finding.subject.name)'", spec: [SpecPatch("monitoring.accessMode", "Open")]) {
            $0.update(finding.subject, as: MonitorPrivateLinkScope.self) {
                $0.ingestionAccessMode = "Open"
                $0.queryAccessMode = "Open"
            }
        }
    }
}
