import PalisadeModel

/// `imageBuildCompute` must name a compute cluster of the workspace
/// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#enable-azure-container-registry-acr).
public struct WorkspaceImageBuildComputeMissingRule: Rule {
    public static let description = RuleDescription(
        id: "workspace_image_build_compute_missing",
        title: "Workspace Image Build Compute Missing",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        When the registry is closed to the public, environment images are built on the compute cluster the \
        workspace's imageBuildCompute names. A name that matches no compute of the workspace (a typo, or a cluster \
        the template never creates) fails only when the first environment builds.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#enable-azure-container-registry-acr",
        fix: "create a CPU compute cluster with that name in the workspace, or point imageBuildCompute at an existing one",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"imageBuildCompute": "cpu-compute"}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/cpu-cluster",
             "location": "westeurope", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "AmlCompute", "properties": {"vmSize": "Standard_DS3_v2"}}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MachineLearningWorkspace.self).compactMap { workspace in
            guard let name = workspace.imageBuildCompute, !name.isEmpty else { return nil }
            let computes = context.graph.all(MachineLearningCompute.self).filter { $0.workspace == workspace.id }
            if let compute = computes.first(where: { $0.name.lowercased() == name.lowercased() }) {
                guard compute.isInstance else { return nil }
                return context.finding(
                    Self.self, workspace,
                    "workspace '\(workspace.name)' builds images on '\(name)', which is a compute instance; image builds need a compute cluster",
                    evidence: [.property(workspace.id, "properties.imageBuildCompute", name), .related(compute.id, "a compute instance")],
                    property: "properties.imageBuildCompute")
            }
            let known = computes.map(\.name).sorted()
            return context.finding(
                Self.self, workspace,
                "workspace '\(workspace.name)' builds images on '\(name)', but the workspace has no compute of that name\(known.isEmpty ? "" : " (it has \(known.joined(separator: ", ")))"); environment image builds will fail",
                evidence: [.property(workspace.id, "properties.imageBuildCompute", name)], property: "properties.imageBuildCompute")
        }
    }
}

// MARK: - Fix

extension WorkspaceImageBuildComputeMissingRule {
    /// Points imageBuildCompute at a compute cluster the workspace has, creating a small one when it has none
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#enable-azure-container-registry-acr).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) != nil else { return nil }
        var preview = context.graph
        let name = preview.useImageBuildCluster(for: finding.subject)
        return context.propose("build images on compute cluster '\(name)' of '\(finding.subject.name)'") { $0.useImageBuildCluster(for: finding.subject) }
    }
}
