import PalisadeModel

/// A private endpoint without a DNS zone group leaves its name resolving to the public address.
public struct PrivateEndpointZoneGroupRule: Rule {
    public static let description = RuleDescription(
        id: "private_endpoint_dns_zone_group",
        title: "Private Endpoint DNS Zone Group",
        kind: .connectivity,
        defaultSeverity: .warning,
        rationale: """
        The zone group is what writes the endpoint's A records into the private DNS zones; without it (and without \
        hand-made records) the service's name still resolves to its public address, so clients either bypass the \
        endpoint or, with public network access disabled, are denied.
        """,
        source: "https://learn.microsoft.com/azure/private-link/private-endpoint-dns; https://learn.microsoft.com/azure/machine-learning/how-to-custom-dns",
        fix: "add a privateDnsZoneGroups child to the endpoint naming the sub-resource's private DNS zones",
        passingExamples: [.spec("{}")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Network/privateEndpoints", "apiVersion": "2023-09-01", "name": "pe-kv", "location": "westeurope",
             "properties": {"subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'endpoints')]"},
              "privateLinkServiceConnections": [{"name": "kv", "properties": {"groupIds": ["vault"],
                "privateLinkServiceId": "[resourceId('Microsoft.KeyVault/vaults', 'kv-example')]"}}]}}
            """, flagging: ["pe-kv"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        // Every address some zone's A record holds, gathered once.
        let recorded = Set(context.graph.all(PrivateDnsZone.self).flatMap { zone in zone.recordSets.flatMap(\.aRecords) })
        return context.graph.all(PrivateEndpoint.self).compactMap { endpoint in
            guard endpoint.privateDnsZoneGroup?.zones.isEmpty ?? true else { return nil }
            let records = endpoint.ipConfigurations.contains { recorded.contains($0.privateIPAddress) }
            guard !records else { return nil }
            return context.finding(
                Self.self, endpoint,
                "private endpoint '\(endpoint.name)' to '\(endpoint.target?.name ?? "?")' has no private DNS zone group; its name will resolve to the public address",
                evidence: [.property(endpoint.id, "privateDnsZoneGroups", "(none)")])
        }
    }
}

// MARK: - Fix

extension PrivateEndpointZoneGroupRule {
    /// Adds the zone group with the zones the endpoint's sub-resources need, creating the zones and linking them to the
    /// endpoint's VNet (https://learn.microsoft.com/azure/private-link/private-endpoint-dns).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let endpoint = context.graph.resource(finding.subject, as: PrivateEndpoint.self),
              !ResourceGraph.requiredZones(endpoint.groupIDs).isEmpty else { return nil }
        let zones = ResourceGraph.requiredZones(endpoint.groupIDs)
        return context.propose("add a private DNS zone group to '\(endpoint.name)' with \(zones.joined(separator: ", ")), linked to its VNet") {
            $0.ensureZoneGroup(endpoint.id)
        }
    }
}
