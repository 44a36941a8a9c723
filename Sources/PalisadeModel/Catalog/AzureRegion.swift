import Foundation

/// An Azure public-cloud region: the ARM location name and the suffix regional service tags use.
///
/// The list is the set of `Storage.<Region>` tags in Microsoft's ServiceTags_Public data
/// (fixtures/service-tags, 2025-10-28) without staging and EUAP regions; a test keeps it in step with that file.
public struct AzureRegion: Sendable, Hashable {
    /// ARM location, e.g. `westeurope`.
    public var name: String
    /// Service tag suffix, e.g. `WestEurope` docs/semantics.md#service-tags).
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

    /// Looks a region up by ARM name (case-insensitive, spaces ignored: `West Europe` works).
    public static func named(_ text: String) -> AzureRegion? {
        let folded = text.lowercased().replacingOccurrences(of: " ", with: "")
        return all.first { $0.name == folded }
    }

    /// The regional form of a service tag, e.g. `Storage.WestEurope`.
    public func tag(_ service: String) -> String { "\(service).\(tagSuffix)" }
}
