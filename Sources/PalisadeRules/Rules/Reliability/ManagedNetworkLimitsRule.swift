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

// MARK: - Fix

extension ManagedNetworkLimitsRule {
    /// The storage account and sub-resource an FQDN names (`name.blob.core.windows.net`), when the account is in the
    /// model; nil for a wildcard or an account outside it.
    static func namedStorage(_ fqdn: String, in graph: ResourceGraph) -> (StorageAccount, String)? {
        let labels = fqdn.lowercased().split(separator: ".").map(String.init)
        guard labels.count >= 4, labels[0] != "*", ["blob", "file", "queue", "table", "dfs", "web"].contains(labels[1]),
              let account = graph.all(StorageAccount.self).first(where: { $0.name.lowercased() == labels[0] }) else { return nil }
        return (account, labels[1])
    }

    /// Replaces each FQDN rule to storage: a wildcard goes (the workspace's own storage is reached through the private
    /// endpoints the managed network creates for it), and a rule naming an account in the model becomes a
    /// PrivateEndpoint rule to that account's sub-resource
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#private-endpoint-outbound-rules). Kubernetes
    /// and attached VM compute, which a managed network does not support, are detached from the workspace: attach
    /// them to a workspace with customer-managed networking
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#limitations). The fix opens nothing.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let workspace = context.graph.resource(finding.subject, as: MachineLearningWorkspace.self) else { return nil }
        var rules: [ManagedOutboundRule] = []
        var steps: [String] = []
        for rule in workspace.managedNetwork.outboundRules {
            guard rule.kind == .fqdn, let fqdn = rule.fqdn?.lowercased(),
                  fqdn.hasSuffix(".core.windows.net") || ExfiltrationDestination.isStorageWildcard(fqdn) else { rules.append(rule); continue }
            if let (account, subresource) = Self.namedStorage(fqdn, in: context.graph) {
                let replacement = ManagedOutboundRule.privateEndpoint(rule.name, target: account.id, subresource: subresource)
                if !rules.contains(where: { $0.serviceResourceID == account.id && $0.subresourceTarget == subresource }) { rules.append(replacement) }
                steps.append("replace FQDN rule '\(rule.name)' with a PrivateEndpoint rule to '\(account.name)' (\(subresource))")
            } else if fqdn.contains("*") {
                steps.append("remove FQDN rule '\(rule.name)' (the workspace's storage is reached through its managed private endpoints)")
            } else {
                return nil
            }
        }
        let unsupported = context.graph.all(MachineLearningCompute.self).filter { $0.workspace == workspace.id }
            .filter { ["kubernetes", "aks", "virtualmachine"].contains($0.computeType.lowercased()) }
        for compute in unsupported {
            steps.append("detach \(compute.computeType) compute '\(compute.name)' (attach it to a workspace with customer-managed networking)")
        }
        guard !steps.isEmpty else { return nil }
        let kept = rules
        // The spec lists only its own rules: those the planner adds for the declared package sources stay implied.
        let packages = Set((context.declaredEgress.packageHosts ?? []).map { $0.lowercased() })
        let written = kept.filter { !($0.kind == .fqdn && $0.name.hasPrefix("package-") && packages.contains($0.fqdn?.lowercased() ?? "")) }
        let spec = unsupported.isEmpty ? [SpecPatch("workspace.managedNetwork.outboundRules", Self.specList(written, workspace: workspace, context.graph))] : []
        return context.propose(steps.joined(separator: "; "), spec: spec.compactMap { $0.value.isEmpty ? nil : $0 }) { graph in
            graph.update(workspace.id, as: MachineLearningWorkspace.self) { $0.managedNetwork.outboundRules = kept }
            for compute in unsupported { graph.remove(compute.id) }
        }
    }

    /// The outbound rules as the spec writes them (a flow list); empty when one cannot be written.
    static func specList(_ rules: [ManagedOutboundRule], workspace: MachineLearningWorkspace, _ graph: ResourceGraph) -> String {
        var items: [String] = []
        for rule in rules where rule.category == "UserDefined" {
            switch rule.kind {
            case .fqdn:
                items.append("{name: \(rule.name), type: FQDN, destination: '\(rule.fqdn ?? "")'}")
            case .serviceTag:
                items.append("{name: \(rule.name), type: ServiceTag, serviceTag: \(rule.serviceTag ?? ""), protocol: \(rule.serviceTagProtocol ?? "TCP"), ports: '\(rule.portRanges ?? "443")'}")
            case .privateEndpoint:
                guard let target = rule.serviceResourceID else { return "" }
                let named = target == workspace.storageAccount ? "storage" : target == workspace.keyVault ? "keyVault"
                    : target == workspace.containerRegistry ? "registry" : target.rawValue
                items.append("{name: \(rule.name), type: PrivateEndpoint, target: '\(named)', subresource: \(rule.subresourceTarget ?? "")}")
            }
        }
        return "[" + items.joined(separator: ", ") + "]"
    }
}
