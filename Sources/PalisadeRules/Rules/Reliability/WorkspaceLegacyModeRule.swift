import PalisadeModel

/// `v1LegacyMode` blocks the v2 API and managed online endpoints.
public struct WorkspaceLegacyModeRule: Rule {
    public static let description = RuleDescription(
        id: "workspace_v1_legacy_mode",
        title: "Workspace V1 Legacy Mode",
        kind: .reliability,
        defaultSeverity: .warning,
        rationale: """
        With v1LegacyMode on, the workspace keeps the v1 API behind its private endpoint and blocks the v2 API; \
        managed online endpoint creation fails with a "V1LegacyMode == true" message.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/concept-secure-online-endpoint; https://learn.microsoft.com/azure/machine-learning/how-to-troubleshoot-online-endpoints",
        fix: "set v1LegacyMode to false (it takes 30–60 minutes to apply)",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"publicNetworkAccess": "Disabled", "v1LegacyMode": true}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MachineLearningWorkspace.self).filter(\.v1LegacyMode).map { workspace in
            context.finding(Self.self, workspace,
                            "workspace '\(workspace.name)' has v1LegacyMode on; online endpoint creation will fail with \"V1LegacyMode == true\"",
                            evidence: [.property(workspace.id, "properties.v1LegacyMode", "true")], property: "properties.v1LegacyMode")
        }
    }
}

// MARK: - Fix

extension WorkspaceLegacyModeRule {
    /// Turns v1 legacy mode off (https://learn.microsoft.com/azure/machine-learning/how-to-configure-network-isolation-with-v2).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) != nil else { return nil }
        return context.propose("set v1LegacyMode to false on '\(finding.subject.name)'") {
            $0.update(finding.subject, as: MachineLearningWorkspace.self) { $0.v1LegacyMode = false }
        }
    }
}
