import PalisadeModel

/// Only Premium registries can turn public access off or take private endpoints.
public struct RegistryPrivateAccessSkuRule: Rule {
    public static let description = RuleDescription(
        id: "registry_private_access_sku",
        title: "Registry Private Access SKU",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Network rules, public network access disabled and private endpoints are Premium features of Azure Container Registry; \
        a Basic or Standard registry fails with DisablingPublicNetworkAccessNotSupported: "Disabling public network \
        access is not supported for the SKU Basic."
        """,
        source: "https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet; https://learn.microsoft.com/azure/container-registry/container-registry-private-link",
        fix: "use the Premium SKU for the registry",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "crbasic", "location": "westeurope",
             "sku": {"name": "Basic"}, "properties": {"publicNetworkAccess": "Disabled"}},
            {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "crstandard", "location": "westeurope",
             "sku": {"name": "Standard"}, "properties": {}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-cr", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "cr", "properties": {"groupIds": ["registry"],
                "privateLinkServiceId": "[resourceId('Microsoft.ContainerRegistry/registries', 'crstandard')]"}}]}},
            {"type": "Microsoft.ContainerRegistry/registries", "apiVersion": "2023-07-01", "name": "crpublic", "location": "westeurope",
             "sku": {"name": "Basic"}, "properties": {}}
            """, flagging: ["crbasic", "crstandard"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(ContainerRegistry.self).compactMap { registry in
            guard registry.sku.lowercased() != "premium" else { return nil }
            var evidence: [Evidence] = []
            if registry.publicNetworkAccess == .disabled {
                evidence.append(.property(registry.id, "properties.publicNetworkAccess", "Disabled"))
            }
            if registry.networkRuleDefaultAction == .deny {
                evidence.append(.property(registry.id, "properties.networkRuleSet.defaultAction", "Deny"))
            }
            evidence += context.privateEndpoints(targeting: registry.id).map { .related($0.id, "private endpoint to the registry") }
            guard !evidence.isEmpty else { return nil }
            return context.finding(
                Self.self, registry,
                "registry '\(registry.name)' is \(registry.sku) but is made private; deployment will fail with DisablingPublicNetworkAccessNotSupported",
                evidence: [.property(registry.id, "sku.name", registry.sku)] + evidence, property: "sku.name")
        }
    }
}

// MARK: - Fix

extension RegistryPrivateAccessSkuRule {
    /// Moves the registry to Premium, the tier that supports private endpoints and disabling public access
    /// (https://learn.microsoft.com/azure/container-registry/container-registry-private-link).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard context.graph.resource(finding.subject, as: ContainerRegistry.self) != nil else { return nil }
        return context.propose("set the SKU of registry '\(finding.subject.name)' to Premium", spec: [SpecPatch("registry.sku", "Premium")]) {
            $0.update(finding.subject, as: ContainerRegistry.self) { $0.sku = "Premium" }
        }
    }
}
