import PalisadeModel

/// The zone group must use the zones the sub-resource registers in (docs/semantics.md#private-dns-zones-per-service).
public struct PrivateEndpointZoneNameRule: Rule {
    public static let description = RuleDescription(
        id: "private_endpoint_dns_zone_name",
        title: "Private Endpoint DNS Zone Name",
        kind: .connectivity,
        defaultSeverity: .error,
        rationale: """
        A service's public name is a CNAME into one specific privatelink zone (for key vault \
        privatelink.vaultcore.azure.net, not privatelink.vault.azure.net); records written into any other zone are \
        never consulted, so clients resolve the public address and bypass the endpoint, or are denied.
        """,
        source: "https://learn.microsoft.com/azure/private-link/private-endpoint-dns; https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns",
        fix: "point the zone group at the documented zone for the sub-resource (and link that zone to the VNets)",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/privateDnsZones", "apiVersion": "2020-06-01", "name": "privatelink.vault.azure.net", "location": "global"},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-kv", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "kv", "properties": {"groupIds": ["vault"],
                "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', 'kv-example')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "apiVersion": "2023-09-01", "name": "pe-kv/default",
             "dependsOn": ["[resourceId('Microsoft.Network/privateEndpoints', 'pe-kv')]"],
             "properties": {"privateDnsZoneConfigs": [{"name": "vault", "properties": {
               "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.vault.azure.net')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-ws", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "ws", "properties": {"groupIds": ["amlworkspace"],
                "privateLinkServiceId": "[resourceId('Microsoft.MachineLearningServices/workspaces', 'ws')]"}}]}},
            {"type": "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "apiVersion": "2023-09-01", "name": "pe-ws/default",
             "dependsOn": ["[resourceId('Microsoft.Network/privateEndpoints', 'pe-ws')]"],
             "properties": {"privateDnsZoneConfigs": [{"name": "api", "properties": {
               "privateDnsZoneId": "[resourceId('Microsoft.Network/privateDnsZones', 'privatelink.api.azureml.ms')]"}}]}}
            """, flagging: ["pe-kv", "pe-ws"]),
        ]
    )

    public init() {}

    /// Zones each sub-resource needs (all of `required`) and may use (`allowed`), Azure public cloud.
    static let zones: [String: (required: [String], allowed: [String])] = {
        var table: [String: (required: [String], allowed: [String])] = [
            "amlworkspace": (["privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"], PrivateLinkCatalog.workspaceZones),
            "amlregistry": (["privatelink.api.azureml.ms"], ["privatelink.api.azureml.ms"]),
            "vault": ([PrivateLinkCatalog.keyVaultZone], [PrivateLinkCatalog.keyVaultZone]),
            "registry": ([PrivateLinkCatalog.registryZone], [PrivateLinkCatalog.registryZone]),
            "azuremonitor": (PrivateLinkCatalog.monitorZones, PrivateLinkCatalog.monitorZones),
            "account": ([], [PrivateLinkCatalog.openAIZone, "privatelink.cognitiveservices.azure.com", "privatelink.services.ai.azure.com"]),
        ]
        for service in StorageService.allCases {
            table[service.rawValue] = ([service.privateDnsZone], [service.privateDnsZone])
        }
        table["web"] = (["privatelink.web.core.windows.net"], ["privatelink.web.core.windows.net"])
        return table
    }()

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.all(PrivateEndpoint.self).compactMap { endpoint in
            guard let group = endpoint.privateDnsZoneGroup, !group.zones.isEmpty else { return nil }
            let known = endpoint.groupIDs.compactMap { Self.zones[$0.lowercased()] }
            guard known.count == endpoint.groupIDs.count, !known.isEmpty else { return nil }
            let used = group.zones.map { $0.name.lowercased() }
            let allowed = Set(known.flatMap(\.allowed))
            let wrong = used.filter { !allowed.contains($0) }
            let missing = known.flatMap(\.required).filter { !used.contains($0) }
            guard !wrong.isEmpty || !missing.isEmpty else { return nil }
            var problems: [String] = []
            if !wrong.isEmpty { problems.append("uses \(wrong.map { "'\($0)'" }.joined(separator: ", ")), which \(endpoint.groupIDs.joined(separator: ", ")) names never resolve through") }
            if !missing.isEmpty { problems.append("lacks \(missing.map { "'\($0)'" }.joined(separator: ", "))") }
            return context.finding(
                Self.self, endpoint,
                "private endpoint '\(endpoint.name)' zone group \(problems.joined(separator: " and ")); clients will resolve the public address",
                evidence: [.property(endpoint.id, "privateDnsZoneGroups[\(group.name)].privateDnsZoneConfigs", used.joined(separator: ", ")),
                           .property(endpoint.id, "properties.privateLinkServiceConnections[0].properties.groupIds", endpoint.groupIDs.joined(separator: ", "))])
        }
    }
}

// MARK: - Fix

extension PrivateEndpointZoneNameRule {
    /// Points the zone group at the zones the sub-resources need
    /// (https://learn.microsoft.com/azure/private-link/private-endpoint-dns).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let endpoint = context.graph.resource(finding.subject, as: PrivateEndpoint.self) else { return nil }
        let zones = ResourceGraph.requiredZones(endpoint.groupIDs)
        guard !zones.isEmpty else { return nil }
        return context.propose("use \(zones.joined(separator: ", ")) in the zone group of '\(endpoint.name)'") { $0.ensureZoneGroup(endpoint.id) }
    }
}
