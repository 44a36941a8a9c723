import PalisadeModel

/// A private registry cannot build images itself; the workspace must name a build cluster.
public struct RegistryImageBuildComputeRule: Rule {
    public static let description = RuleDescription(
        id: "registry_image_build_compute",
        title: "Registry Image Build Compute",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        ACR Tasks cannot reach a registry that is closed to the public, and the default serverless builder sits \
        outside the VNet; environment image builds fail with ImageBuildComputeNotValid: "If Container Registry is \
        behind the virtual network, Container Registry cannot build your image. Set the imageBuildCompute property \
        to build your image."
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; https://learn.microsoft.com/azure/machine-learning/how-to-secure-training-vnet",
        fix: "set the workspace's imageBuildCompute to a CPU compute cluster in the VNet that reaches the registry and storage",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .spec("compute: {imageBuild: false}", flagging: ["mlw-test"]),
            .arm("""
            {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "crexample", "location": "westeurope",
             "sku": {"name": "Premium"}, "properties": {"publicNetworkAccess": "Disabled"}},
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"containerRegistry": "[resourceId('Microsoft.ContainerRegistry/registries', 'crexample')]"}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(MachineLearningWorkspace.self).compactMap { workspace in
            guard workspace.imageBuildCompute?.isEmpty ?? true,
                  let registry = context.graph.resource(workspace.containerRegistry, as: ContainerRegistry.self) else { return nil }
            let closed = registry.publicNetworkAccess == .disabled
            let restricted = registry.networkRuleDefaultAction == .deny
            guard closed || restricted else { return nil }
            return context.finding(
                Self.self, workspace,
                "workspace '\(workspace.name)' uses registry '\(registry.name)', which has public network access disabled, but sets no imageBuildCompute; image builds will fail with ImageBuildComputeNotValid",
                evidence: [.property(workspace.id, "properties.imageBuildCompute", "(not set)"),
                           closed ? .property(registry.id, "properties.publicNetworkAccess", "Disabled")
                                  : .property(registry.id, "properties.networkRuleSet.defaultAction", "Deny")],
                property: "properties.containerRegistry")
        }
    }
}

// MARK: - Fix

extension RegistryImageBuildComputeRule {
    /// Sets imageBuildCompute to a compute cluster of the workspace, creating a small one when it has none
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#enable-azure-container-registry-acr).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) != nil else { return nil }
        var preview = context.graph
        let name = preview.useImageBuildCluster(for: finding.subject)
        return context.propose("build images on compute cluster '\(name)' of '\(finding.subject.name)'", spec: [SpecPatch("compute.imageBuild", "true")]) {
            $0.useImageBuildCluster(for: finding.subject)
        }
    }
}
