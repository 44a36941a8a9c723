import PalisadeModel

/// The workspace IP allow list takes public IPv4 addresses only, at most 200.
public struct WorkspaceIPAllowlistRule: Rule {
    public static let description = RuleDescription(
        id: "workspace_ip_allowlist",
        title: "Workspace IP Allow List",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        The workspace's selected-IP access list accepts at most 200 public IPv4 addresses or CIDR ranges; private \
        (RFC 1918) ranges are rejected, since traffic from the VNet arrives through the private endpoint instead.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link",
        fix: "list only public IPv4 addresses or ranges (at most 200) and reach the workspace from private networks through its private endpoint",
        passingExamples: [.spec("{}"), .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"publicNetworkAccess": "Enabled", "ipAllowlist": ["203.0.113.0/24", "198.51.100.7"]}}
            """)],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"publicNetworkAccess": "Enabled", "ipAllowlist": ["203.0.113.0/24", "10.0.0.0/16", "office"]}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MachineLearningWorkspace.self).compactMap { workspace in
            let invalid = workspace.ipAllowlist.filter { entry in
                guard let parsed = IPv4Prefix.parse(entry) else { return true }
                return IPv4Prefix.privateRanges.contains { $0.overlaps(parsed.prefix) }
            }
            let tooMany = workspace.ipAllowlist.count > 200
            guard !invalid.isEmpty || tooMany else { return nil }
            var problems: [String] = []
            if !invalid.isEmpty { problems.append("non-public entries \(invalid.map { "'\($0)'" }.joined(separator: ", "))") }
            if tooMany { problems.append("\(workspace.ipAllowlist.count) entries (limit 200)") }
            return context.finding(Self.self, workspace,
                                   "workspace '\(workspace.name)' IP allow list has \(problems.joined(separator: " and ")); the update will be rejected",
                                   evidence: [.property(workspace.id, "properties.ipAllowlist", workspace.ipAllowlist.joined(separator: ", "))],
                                   property: "properties.ipAllowlist")
        }
    }
}

// MARK: - Fix

extension WorkspaceIPAllowlistRule {
    /// Drops the entries Azure rejects (private or unparsable addresses); private networks reach the workspace
    /// through its private endpoint (https://learn.microsoft.com/azure/machine-learning/how-to-configure-private-link#enable-public-access-only-from-internet-ip-ranges).
    /// More than 200 public entries need a person to choose which to keep, so that case has no automatic fix.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let workspace = context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) else { return nil }
        let kept = workspace.ipAllowlist.filter { entry in
            guard let parsed = IPv4Prefix.parse(entry) else { return false }
            return !IPv4Prefix.privateRanges.contains { $0.overlaps(parsed.prefix) }
        }
        guard kept.count <= 200, kept.count < workspace.ipAllowlist.count else { return nil }
        let dropped = workspace.ipAllowlist.filter { !kept.contains($0) }
        return context.propose("remove \(dropped.map { "'\($0)'" }.joined(separator: ", ")) from the IP allow list of '\(workspace.name)'") {
            $0.update(workspace.id, as: MachineLearningWorkspace.self) { $0.ipAllowlist = kept }
        }
    }
}
