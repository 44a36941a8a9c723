import Foundation
import PalisadeModel

/// Service-tag data: empty (tags stay symbolic atoms) or loaded from Microsoft's ServiceTags_Public JSON
/// docs/semantics.md#service-tags), in which case a tag means its real IPv4 prefixes.
public struct ServiceTagCatalog: Sendable, Hashable {
    /// One tag entry of the file (docs/semantics.md#service-tags).
    public struct Entry: Sendable, Hashable {
        /// Tag name, e.g. `Storage.WestUS`.
        public var name: String
        /// Region (`""` for global).
        public var region: String
        /// IPv4 prefixes (IPv6 prefixes are dropped: the engine is IPv4 only).
        public var prefixes: [IPv4Prefix]
        /// `networkFeatures`; nil when the file says null (docs/semantics.md#service-tags).
        public var networkFeatures: [String]?
        /// The prefixes as one normalised set, built once so every rule naming the tag shares its storage.
        public var addresses: IntervalSet
    }

    /// The file's `changeNumber` (docs/semantics.md#service-tags); nil for the symbolic catalog.
    public let changeNumber: Int?
    private let entries: [String: Entry]

    /// The symbolic catalog: every tag is a named atom.
    public static let symbolic = ServiceTagCatalog(changeNumber: nil, entries: [:])

    private init(changeNumber: Int?, entries: [String: Entry]) {
        self.changeNumber = changeNumber
        self.entries = entries
    }

    /// Whether real prefixes are loaded.
    public var isLoaded: Bool { !entries.isEmpty }

    /// Number of entries.
    public var count: Int { entries.count }

    /// The entry for a tag name (case-insensitive).
    public func entry(_ name: String) -> Entry? { entries[name.lowercased()] }

    /// Parses ServiceTags_Public JSON (docs/semantics.md#service-tags).
    public static func load(json data: Data) throws -> ServiceTagCatalog {
        struct File: Decodable {
            struct Value: Decodable {
                struct Properties: Decodable {
                    var region: String?
                    var addressPrefixes: [String]
                    var networkFeatures: [String]?
                }
                var name: String
                var properties: Properties
            }
            var changeNumber: Int?
            var values: [Value]
        }
        let file = try JSONDecoder().decode(File.self, from: data)
        var entries: [String: Entry] = [:]
        for value in file.values {
            let prefixes = value.properties.addressPrefixes.compactMap { IPv4Prefix.parse($0)?.prefix }
            entries[value.name.lowercased()] = Entry(
                name: value.name, region: value.properties.region ?? "", prefixes: prefixes,
                networkFeatures: value.properties.networkFeatures, addresses: IntervalSet(prefixes: prefixes))
        }
        return ServiceTagCatalog(changeNumber: file.changeNumber, entries: entries)
    }

    /// Loads a file from disk.
    public static func load(path: String) throws -> ServiceTagCatalog {
        try load(json: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Tags computed per network rather than listed in the file (docs/semantics.md#service-tags).
    public static let computedTags: Set<String> = [
        "virtualnetwork", "internet", "azureloadbalancer", "azureplatformdns", "azureplatformimds", "azureplatformlkm",
    ]

    /// The rank of a tag in the docs/semantics.md#service-tags-in-routes tie order: 0 regional service tag, 1 top-level tag, 2 `AzureCloud.<region>`,
    /// 3 `AzureCloud`.
    public static func tieRank(_ tag: String) -> Int {
        let lower = tag.lowercased()
        if lower == "azurecloud" { return 3 }
        if lower.hasPrefix("azurecloud.") { return 2 }
        return lower.contains(".") ? 0 : 1
    }
}

/// Public, IANA-special and private ranges used for the computed `Internet` tag (docs/semantics.md#internet-tag, decision docs/semantics.md#internet-tag).
public enum WellKnownRanges {
    /// Non-public IPv4 space: RFC 1918, RFC 6598, 0/8, loopback, link-local, multicast and reserved/broadcast.
    /// Documentation ranges (TEST-NET-1/2/3) stay public because the docs use them as Internet examples.
    public static let nonPublic: [IPv4Prefix] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
    ].map { IPv4Prefix($0)! }

    /// Public unicast IPv4 (docs/semantics.md#internet-tag [ASSUME]).
    public static let publicUnicast: IntervalSet = IntervalSet.allAddresses.subtracting(IntervalSet(prefixes: nonPublic))
}
