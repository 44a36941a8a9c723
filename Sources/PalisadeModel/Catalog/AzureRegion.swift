import Foundation

/// An Azure public-cloud region: the ARM location name and the suffix regional service tags use.
///
/// The list is the set of `Storage.<Region>` tags in Microsoft's ServiceTags_Public data
/// (fixtures/service-tags, 2025-10-28) without staging and EUAP regions; a test keeps it in step with that file.
public struct AzureRegion: Sendable, Hashable {
    /// ARM location, e.g. `westeurope`.
    public var name: String
    /// Service tag suffix, e.g. `WestEurope`.
    public var tagSuffix: String

    /// Every known public region, sorted by name.
    public static let all: [AzureRegion] = [
        "AustraliaCentral", "AustraliaCentral2", "AustraliaEast", "AustraliaSoutheast", "AustriaEast",
        "BelgiumCentral", "BrazilSouth", "BrazilSoutheast", "CanadaCentral", "CanadaEast", "CentralIndia",
        "CentralUS", "ChileCentral", "EastAsia", "EastUS", "EastUS2", "FranceCentral", "FranceSouth", "GermanyNorth",
        "GermanyWestCentral", "IndonesiaCentral", "IsraelCentral", "IsraelNorthwest", "ItalyNorth", "JapanEast",
        "JapanWest", "JioIndiaCentral", "JioIndiaWest", "KoreaCentral", "KoreaSouth", "MalaysiaSouth", "MalaysiaWest",
        "MexicoCentral", "NewZealandNorth", "NorthCentralUS", "NorthEurope", "NorwayEast", "NorwayWest",
        "PolandCentral", "QatarCentral", "SouthAfricaNorth", "SouthAfricaWest", "SouthCentralUS", "SouthCentralUS2",
        "SouthIndia", "SoutheastAsia", "SoutheastUS", "SoutheastUS3", "SpainCentral", "SwedenCentral", "SwedenSouth",
        "SwitzerlandNorth", "SwitzerlandWest", "TaiwanNorth", "TaiwanNorthwest", "UAECentral", "UAENorth", "UKSouth",
        "UKWest", "WestCentralUS", "WestEurope", "WestIndia", "WestUS", "WestUS2", "WestUS3",
    ].map { AzureRegion(name: $0.lowercased(), tagSuffix: $0) }.sorted { $0.name < $1.name }

    /// Regions Microsoft lists with availability zone support ("Azure regions list", ms.date 2025-09-23:
    /// https://learn.microsoft.com/azure/reliability/availability-zones-region-support, which redirects to
    /// https://learn.microsoft.com/azure/reliability/regions-list). Regions the page does not list (restricted or
    /// not yet public, e.g. `jioindiawest`, `taiwannorth`) count as zoneless: zone-redundant resources are planned only
    /// where Microsoft documents zones.
    public static let zonedRegionNames: Set<String> = [
        "australiaeast", "austriaeast", "belgiumcentral", "brazilsouth", "canadacentral", "centralindia", "centralus",
        "chilecentral", "eastasia", "eastus", "eastus2", "francecentral", "germanywestcentral", "indonesiacentral",
        "israelcentral", "italynorth", "japaneast", "japanwest", "koreacentral", "malaysiawest", "mexicocentral",
        "newzealandnorth", "northeurope", "norwayeast", "polandcentral", "qatarcentral", "southafricanorth",
        "southcentralus", "southeastasia", "spaincentral", "swedencentral", "switzerlandnorth", "uaenorth", "uksouth",
        "westeurope", "westus2", "westus3",
    ]

    /// Whether the region has availability zones (zone-redundant storage, zonal public IPs and `AZ` gateway SKUs
    /// deploy only there).
    public var hasAvailabilityZones: Bool { Self.zonedRegionNames.contains(name) }

    /// Looks a region up by ARM name (case-insensitive, spaces ignored: `West Europe` works).
    public static func named(_ text: String) -> AzureRegion? {
        let folded = text.lowercased().replacingOccurrences(of: " ", with: "")
        return all.first { $0.name == folded }
    }

    /// The regional form of a service tag, e.g. `Storage.WestEurope`.
    public func tag(_ service: String) -> String { "\(service).\(tagSuffix)" }

    /// Storage SKUs that need availability zones (zone-redundant replication):
    /// https://learn.microsoft.com/azure/storage/common/storage-redundancy#zone-redundant-storage
    public static func storageSkuNeedsZones(_ sku: String) -> Bool {
        let lower = sku.lowercased()
        return lower.hasSuffix("_zrs") || lower.hasSuffix("_gzrs") || lower.hasSuffix("_ragzrs")
    }

    /// Virtual network gateway SKUs that are zone-redundant (`VpnGw1AZ`…, `ErGw1AZ`…), offered in regions with
    /// availability zones: https://learn.microsoft.com/azure/vpn-gateway/about-zone-redundant-vnet-gateways
    public static func gatewaySkuNeedsZones(_ sku: String) -> Bool { sku.lowercased().hasSuffix("az") }
}
