import PalisadeModel

/// An AMPLS in Open mode lets linked VNets reach Azure Monitor resources outside the scope.
public struct MonitorScopeOpenAccessRule: Rule {
    public static let description = RuleDescription(
        id: "monitor_scope_open_access",
        title: "Monitor Scope Open Access",
        kind: .security,
        defaultSeverity: .note,
        rationale: """
        With ingestion or query access mode Open, clients in VNets linked to the private link scope may still send \
        to and query any Azure Monitor resource over public endpoints, including workspaces outside the scope. The \
        AML docs disagree (the workspace guide says Open, the secure-workspace tutorial uses PrivateOnly), so this is \
        reported as a note.
        """,
        source: "https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security; https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; https://learn.microsoft.com/azure/machine-learning/tutorial-create-secure-workspace-vnet",
        fix: "set ingestionAccessMode and queryAccessMode to PrivateOnly once every monitored resource is in the scope",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("monitoring: {accessMode: Open}", flagging: ["ampls-test"]),
            .arm("""
            {"type": "microsoft.insights/privatelinkscopes", "apiVersion": "2021-07-01-preview", "name": "ampls", "location": "global",
             "properties": {"accessModeSettings": {"ingestionAccessMode": "Open", "queryAccessMode": "PrivateOnly"}}}
            """, flagging: ["ampls"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MonitorPrivateLinkScope.self).compactMap { scope in
            let open = [("ingestion", scope.ingestionAccessMode), ("query", scope.queryAccessMode)].filter { $0.1.lowercased() == "open" }
            guard !open.isEmpty else { return nil }
            return context.finding(
                Self.self, scope,
                "private link scope '\(scope.name)' has \(open.map(\.0).joined(separator: " and ")) access mode Open; linked VNets can still reach Azure Monitor resources outside the scope",
                evidence: open.map { .property(scope.id, "properties.accessModeSettings.\($0.0)AccessMode", $0.1) })
        }
    }
}
