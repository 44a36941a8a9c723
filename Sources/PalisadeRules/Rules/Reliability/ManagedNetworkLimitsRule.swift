import PalisadeModel

/// What a managed network cannot do: FQDN rules to storage, Kubernetes or attached VMs (docs/semantics.md#managed-network-fqdn-rules, #managed-network-limits).
public struct ManagedNetworkLimitsRule: Rule {
    public static let description = RuleDescription(
        id: "managed_network_limits",
        title: "Managed Network Limits",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        In a workspace-managed network, FQDN outbound rules cannot target storage accounts (storage is reached \
        through private-endpoint rules, and an FQDN rule to storage would be an exfiltration path), and Kubernetes \
        compute and attached virtual machines are not supported; such configurations are rejected or do not work.
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network; https://learn.microsoft.com/azure/machine-learning/how-to-prevent-data-loss-exfiltration",
        fix: "replace the FQDN rule with a PrivateEndpoint outbound rule to the storage account, and keep Kubernetes or VM compute in a workspace with customer-managed networking",
        passingExamples: [.spec("{}"), .spec("workspace: {managedNetwork: {isolationMode: AllowOnlyApprovedOutbound, outboundRules: [{name: pypi, type: FQDN, destination: pypi.org}]}}")],
        failingExamples: [
            .spec("workspace: {managedNetwork: {isolationMode: AllowOnlyApprovedOutbound, outboundRules: [{name: blobs, type: FQDN, destination: '*.blob.core.windows.net'}]}}",
                  flagging: ["mlw-test"]),
            .arm("""
            {"type": "Microsoft.MachineLearningServices/workspaces", "apiVersion": "2024-04-01", "name": "ws", "location": "westeurope",
             "properties": {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"}}},
            {"type": "Microsoft.MachineLearningServices/workspaces/computes", "apiVersion": "2024-04-01", "name": "ws/aks",
             "location": "westeurope", "dependsOn": ["[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"],
             "properties": {"computeType": "Kubernetes", "properties": {}}}
            """, flagging: ["ws"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        let computes = context.graph.all(MachineLearningCompute.self)
        return context.graph.all(MachineLearningWorkspace.self).compactMap { workspace in
            guard workspace.managedNetwork.isolationMode != .disabled else { return nil }
            let storageRules = workspace.managedNetwork.outboundRules.filter { rule in
                guard rule.kind == .fqdn, let fqdn = rule.fqdn?.lowercased() else { return false }
                return fqdn.hasSuffix(".core.windows.net") || ExfiltrationDestination.isStorageWildcard(fqdn)
            }
            let unsupported = computes.filter { $0.workspace == workspace.id }.filter {
                ["kubernetes", "aks", "virtualmachine"].contains($0.computeType.lowercased())
            }
            guard !storageRules.isEmpty || !unsupported.isEmpty else { return nil }
            var problems: [String] = []
            if !storageRules.isEmpty { problems.append("FQDN rules to storage (\(storageRules.map { "'\($0.name)'" }.joined(separator: ", ")))") }
            if !unsupported.isEmpty { problems.append("\(unsupported.map { "\($0.computeType) compute '\($0.name)'" }.joined(separator: ", "))") }
            return context.finding(
                Self.self, workspace,
                "workspace '\(workspace.name)' uses a managed network but has \(problems.joined(separator: " and ")), which the managed network does not support",
                evidence: [.property(workspace.id, "properties.managedNetwork.isolationMode", workspace.managedNetwork.isolationMode.rawValue)]
                    + storageRules.map { .property(workspace.id, "properties.managedNetwork.outboundRules.\($0.name).destination", $0.fqdn ?? "") }
                    + unsupported.map { .related($0.id, "computeType \($0.computeType)") })
        }
    }
}
