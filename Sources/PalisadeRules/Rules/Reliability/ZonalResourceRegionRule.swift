import PalisadeModel

/// Zone-redundant SKUs deploy only in regions with availability zones
/// (https://learn.microsoft.com/azure/reliability/regions-list).
public struct ZonalResourceRegionRule: Rule {
    public static let description = RuleDescription(
        id: "zonal_resource_region",
        title: "Zonal Resource Region",
        kind: .reliability,
        defaultSeverity: .error,
        rationale: """
        Zone-redundant storage (ZRS, GZRS, RA-GZRS), zone-redundant gateway SKUs (VpnGw1AZ…, ErGw1AZ…) and \
        public IPs placed in zones exist only where the region has availability zones. In a region without them, \
        such as westus, the deployment fails.
        """,
        source: "https://learn.microsoft.com/azure/reliability/regions-list, https://learn.microsoft.com/azure/storage/common/storage-redundancy, https://learn.microsoft.com/azure/vpn-gateway/about-zone-redundant-vnet-gateways",
        fix: "use Standard_LRS or Standard_GRS storage and a gateway SKU without the AZ suffix, or deploy in a region with availability zones",
        passingExamples: [.spec("{}"), .spec("location: westus")],
        failingExamples: [
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "stwest", "location": "westus",
             "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "properties": {}}
            """, flagging: ["stwest"]),
            .arm("""
            {"type": "Microsoft.Network/publicIPAddresses", "apiVersion": "2023-09-01", "name": "pip-west", "location": "westus",
             "sku": {"name": "Standard"}, "zones": ["1", "2", "3"], "properties": {"publicIPAllocationMethod": "Static"}}
            """, flagging: ["pip-west"]),
        ]
    )

    public init() {}

    private func zoneless(_ location: String?) -> AzureRegion? {
        guard let region = location.flatMap(AzureRegion.named), !region.hasAvailabilityZones else { return nil }
        return region
    }

    public func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        for account in context.graph.all(StorageAccount.self) {
            guard let region = zoneless(account.location), AzureRegion.storageSkuNeedsZones(account.sku) else { continue }
            findings.append(context.finding(
                Self.self, account,
                "storage account '\(account.name)' uses \(account.sku), but \(region.name) has no availability zones; the deployment fails",
                evidence: [.property(account.id, "sku.name", account.sku), .property(account.id, "location", region.name)]))
        }
        for address in context.graph.all(PublicIPAddress.self) {
            guard let zones = address.zones, !zones.isEmpty, let region = zoneless(address.location) else { continue }
            findings.append(context.finding(
                Self.self, address,
                "public IP '\(address.name)' is placed in availability zones \(zones.joined(separator: ", ")), but \(region.name) has none; the deployment fails",
                evidence: [.property(address.id, "zones", zones.joined(separator: ",")), .property(address.id, "location", region.name)]))
        }
        for gateway in context.graph.all(VirtualNetworkGateway.self) {
            guard let region = zoneless(gateway.location), AzureRegion.gatewaySkuNeedsZones(gateway.sku) else { continue }
            findings.append(context.finding(
                Self.self, gateway,
                "gateway '\(gateway.name)' uses the zone-redundant SKU \(gateway.sku), but \(region.name) has no availability zones; the deployment fails",
                evidence: [.property(gateway.id, "sku.name", gateway.sku), .property(gateway.id, "location", region.name)]))
        }
        return findings
    }
}

// MARK: - Fix

extension ZonalResourceRegionRule {
    /// Uses what the zoneless region offers: geo-redundant storage instead of zone-redundant
    /// (https://learn.microsoft.com/azure/storage/common/storage-redundancy), no zones on the public IP
    /// (https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#availability-zone), and the
    /// gateway SKU without the AZ suffix (https://learn.microsoft.com/azure/vpn-gateway/about-zone-redundant-vnet-gateways).
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        let id = finding.subject
        if let account = context.graph.resource(id, as: StorageAccount.self) {
            let sku = account.sku.uppercased().hasPrefix("PREMIUM") ? "Premium_LRS" : account.sku.uppercased().contains("GZRS") ? "Standard_RAGRS" : "Standard_GRS"
            let summary = "set the SKU of '\(account.name)' to \(sku)"
            return context.propose(summary, spec: [SpecPatch("storage.sku", sku)]) { $0.update(id, as: StorageAccount.self) { $0.sku = sku } }
        }
        if context.graph.resource(id, as: PublicIPAddress.self) != nil {
            return context.propose("remove the availability zones from '\(id.name)'") { $0.update(id, as: PublicIPAddress.self) { $0.zones = nil } }
        }
        guard let gateway = context.graph.resource(id, as: VirtualNetworkGateway.self), gateway.sku.uppercased().hasSuffix("AZ") else { return nil }
        let sku = String(gateway.sku.dropLast(2))
        return context.propose("set the SKU of gateway '\(gateway.name)' to \(sku)") { $0.update(id, as: VirtualNetworkGateway.self) { $0.sku = sku } }
    }
}
