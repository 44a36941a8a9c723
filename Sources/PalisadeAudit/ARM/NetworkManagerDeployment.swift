import Foundation
import PalisadeARM
import PalisadeModel

/// Which Azure Virtual Network Manager configurations are deployed, and where.
///
/// A security admin or connectivity configuration takes effect only once committed to a region, and then only for
/// the virtual networks in that region ("Configuration deployments",
/// https://learn.microsoft.com/azure/virtual-network-manager/concept-deployments). The ARM resources say what is
/// defined, not what is committed, so the audit asks each network manager with
/// `POST {manager}/listDeploymentStatus` (https://learn.microsoft.com/rest/api/networkmanager/network-manager-deployment-status/list)
/// for the regions of the virtual networks it read. Each answer item names a region, a deployment type, a status
/// (`NotStarted`, `Deploying`, `Deployed`, `Failed`) and the configuration IDs of that commit.
public enum NetworkManagerDeployment {
    /// The API version of the status list.
    public static let apiVersion = ChildResourceRead.networkAPI
    /// The configuration types the model reads.
    public static let deploymentTypes = ["SecurityAdmin", "Connectivity"]
    /// The configuration resource types whose deployment decides whether they are kept.
    public static let configurationTypes: Set<String> = [
        "microsoft.network/networkmanagers/securityadminconfigurations", "microsoft.network/networkmanagers/connectivityconfigurations",
    ]

    /// One region's commit of one deployment type.
    public struct Status: Sendable, Hashable {
        /// The region (lower case, no spaces).
        public var region: String
        /// `SecurityAdmin`, `Connectivity`, …
        public var deploymentType: String
        /// `Deployed`, `Deploying`, `NotStarted`, `Failed`.
        public var state: String
        /// Configuration IDs of the commit, lower-cased.
        public var configurationIDs: Set<String>
        /// The error Azure reports for a failed deployment.
        public var errorMessage: String?

        /// Reads one `value` item; nil without a region.
        init?(_ node: JSONNode) {
            guard let region = node["region"]?.stringValue, !region.isEmpty else { return nil }
            self.region = AuditRegion.normalized(region)
            deploymentType = node["deploymentType"]?.stringValue ?? ""
            state = node["deploymentStatus"]?.stringValue ?? ""
            configurationIDs = Set((node["configurationIds"]?.elements ?? []).compactMap { $0.stringValue?.lowercased() })
            errorMessage = node["errorMessage"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        }

        /// Creates a status (tests).
        public init(region: String, deploymentType: String, state: String, configurationIDs: [String], errorMessage: String? = nil) {
            self.region = AuditRegion.normalized(region)
            self.deploymentType = deploymentType
            self.state = state
            self.configurationIDs = Set(configurationIDs.map { $0.lowercased() })
            self.errorMessage = errorMessage
        }

        /// Whether the commit is in effect.
        public var isDeployed: Bool { state.lowercased() == "deployed" }
    }

    /// Reads the deployment status of one network manager for `regions`.
    static func read(manager: String, regions: [String], reader: ARMReader) async throws -> [Status] {
        let items = try await reader.postList(parentID: manager, action: "listDeploymentStatus", apiVersion: apiVersion,
                                              body: ["regions": regions, "deploymentTypes": deploymentTypes])
        return items.compactMap(Status.init)
    }

    /// What the statuses decide for the rows read: configurations deployed nowhere (and their rule collections and
    /// rules) are dropped, since Azure applies nothing of them; notes name configurations deployed in some of the
    /// estate's regions but not all (the model applies a configuration to every virtual network its groups name)
    /// and failed or unfinished deployments.
    public static func decide(configurations: [String], statuses: [Status], regions: [String]) -> (dropped: [String], notes: [String]) {
        var dropped: [String] = [], notes: [String] = []
        let estateRegions = Set(regions.map(AuditRegion.normalized))
        for configuration in configurations.sorted(by: { $0.lowercased() < $1.lowercased() }) {
            let key = configuration.lowercased()
            let deployed = Set(statuses.filter { $0.isDeployed && $0.configurationIDs.contains(key) }.map(\.region))
            let name = ResourceID(configuration).name
            if deployed.isEmpty {
                dropped.append(configuration)
                notes.append("network manager configuration '\(name)' (\(configuration)) is not deployed in any region of the estate "
                             + "(\(estateRegions.sorted().joined(separator: ", "))); it is left out, as Azure applies none of it")
            } else if !estateRegions.subtracting(deployed).isEmpty {
                notes.append("network manager configuration '\(name)' (\(configuration)) is deployed in \(deployed.sorted().joined(separator: ", ")) "
                             + "but not in \(estateRegions.subtracting(deployed).sorted().joined(separator: ", ")); Palisade applies it to the "
                             + "virtual networks of every region, so verdicts there may be stricter or looser than in Azure")
            }
        }
        for status in statuses where !status.isDeployed && ["failed", "deploying"].contains(status.state.lowercased()) {
            notes.append("network manager \(status.deploymentType) deployment in \(status.region) is \(status.state)"
                         + (status.errorMessage.map { ": \($0)" } ?? ""))
        }
        return (dropped, notes)
    }
}

/// The committed version of a network manager's security admin rules.
///
/// `POST {manager}/listActiveSecurityAdminRules` with `{"regions": [...]}` answers, page by page (`skipToken` in the
/// body), the rules committed to those regions as they were committed
/// (https://learn.microsoft.com/rest/api/networkmanager/list-active-security-admin-rules/list): each item carries the
/// rule's `id` (`…/securityAdminConfigurations/{c}/ruleCollections/{rc}/rules/{r}`), `kind` (`Custom` or `Default`),
/// `properties` (as the rule resource has them), `region`, `commitTime`, `configurationDescription`,
/// `ruleCollectionDescription` and `ruleCollectionAppliesToGroups` (`[{networkGroupId}]`). From them the audit writes
/// the configuration, rule collection and rule rows the export importer reads, so a rule edited after its last commit
/// is read as Azure enforces it.
public enum ActiveSecurityAdminRules {
    static let configurationType = "Microsoft.Network/networkManagers/securityAdminConfigurations"
    static let collectionType = configurationType + "/ruleCollections"
    static let ruleType = collectionType + "/rules"
    /// The properties that decide what a rule matches and does.
    static let decidingKeys = ["access", "direction", "priority", "protocol", "sources", "destinations", "sourcePortRanges", "destinationPortRanges"]

    /// Reads the active rules of one manager for `regions`.
    static func read(manager: String, regions: [String], reader: ARMReader) async throws -> [JSONNode] {
        try await reader.postList(parentID: manager, action: "listActiveSecurityAdminRules", apiVersion: NetworkManagerDeployment.apiVersion,
                                  body: ["regions": regions])
    }

    /// Configuration, rule collection and rule rows for the active rules, one per ID (a rule committed to several
    /// regions is the same rule). Items without a rule ID are skipped.
    public static func rows(_ items: [JSONNode]) -> [AuditRow] {
        var objects: [String: [String: Any]] = [:]
        func put(_ id: ResourceID, _ type: String, _ properties: [String: Any], kind: String? = nil) {
            guard objects[id.rawValue.lowercased()] == nil else { return }
            var object: [String: Any] = ["id": id.rawValue, "name": id.name, "type": type, "properties": properties]
            if let kind { object["kind"] = kind }
            objects[id.rawValue.lowercased()] = object
        }
        for item in items {
            guard let text = item["id"]?.stringValue else { continue }
            let rule = ResourceID(text)
            guard rule.resourceType?.rawValue.lowercased() == ruleType.lowercased(), let collection = rule.parent,
                  let configuration = collection.parent else { continue }
            func value(_ key: String) -> Any? { item[key].map { $0.value.jsonValue.foundationObject } }
            put(configuration, configurationType, ["description": value("configurationDescription") ?? ""])
            put(collection, collectionType, ["description": value("ruleCollectionDescription") ?? "",
                                             "appliesToGroups": value("ruleCollectionAppliesToGroups") ?? [Any]()])
            put(rule, ruleType, value("properties") as? [String: Any] ?? [:], kind: item["kind"]?.stringValue ?? "Custom")
        }
        return objects.keys.sorted().compactMap { AuditRow(object: objects[$0]!) }
    }

    /// Notes for rules whose definition differs from what is committed: changed, added or deleted since the last commit.
    public static func changes(defined: [AuditRow], committed: [AuditRow]) -> [String] {
        CommittedVersion.changes(defined: defined, committed: committed, type: ruleType, keys: decidingKeys, noun: "security admin rule")
    }
}

/// The committed version of a network manager's connectivity configurations.
///
/// `POST {manager}/listActiveConnectivityConfigurations` with `{"regions": [...]}` answers the configurations
/// committed to those regions (https://learn.microsoft.com/rest/api/networkmanager/list-active-connectivity-configurations/list):
/// each item carries the configuration's `id`, `properties` (as the configuration resource has them), `region`,
/// `commitTime` and `configurationGroups`. They replace the configuration rows the ARM list gave.
public enum ActiveConnectivityConfigurations {
    static let configurationType = "Microsoft.Network/networkManagers/connectivityConfigurations"
    /// The properties that decide which networks are connected and how.
    static let decidingKeys = ["connectivityTopology", "hubs", "isGlobal", "appliesToGroups"]

    /// Reads the active connectivity configurations of one manager for `regions`.
    static func read(manager: String, regions: [String], reader: ARMReader) async throws -> [JSONNode] {
        try await reader.postList(parentID: manager, action: "listActiveConnectivityConfigurations",
                                  apiVersion: NetworkManagerDeployment.apiVersion, body: ["regions": regions])
    }

    /// One configuration row per ID (a configuration committed to several regions is the same configuration).
    public static func rows(_ items: [JSONNode]) -> [AuditRow] {
        var objects: [String: [String: Any]] = [:]
        for item in items {
            guard let text = item["id"]?.stringValue, objects[text.lowercased()] == nil else { continue }
            let id = ResourceID(text)
            guard id.resourceType?.rawValue.lowercased() == configurationType.lowercased() else { continue }
            objects[text.lowercased()] = ["id": text, "name": id.name, "type": configurationType,
                                          "properties": item["properties"].map { $0.value.jsonValue.foundationObject } ?? [String: Any]()]
        }
        return objects.keys.sorted().compactMap { AuditRow(object: objects[$0]!) }
    }

    /// Notes for configurations whose definition differs from what is committed.
    public static func changes(defined: [AuditRow], committed: [AuditRow]) -> [String] {
        CommittedVersion.changes(defined: defined, committed: committed, type: configurationType, keys: decidingKeys,
                                 noun: "connectivity configuration")
    }
}

/// Compares defined and committed versions of network manager resources.
enum CommittedVersion {
    /// Notes for resources of `type` changed (in `keys` of their properties), added or deleted since the last commit.
    static func changes(defined: [AuditRow], committed: [AuditRow], type: String, keys: [String], noun: String) -> [String] {
        func deciding(_ row: AuditRow) -> String {
            let object = (try? JSONSerialization.jsonObject(with: row.json)) as? [String: Any]
            let properties = object?["properties"] as? [String: Any] ?? [:]
            let kept = properties.filter { keys.contains($0.key) }
            let data = (try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])) ?? Data()
            return String(decoding: data, as: UTF8.self).lowercased()
        }
        let index = { (rows: [AuditRow]) in
            Dictionary(rows.filter { $0.type == type.lowercased() }.map { ($0.id.lowercased(), $0) }) { a, _ in a }
        }
        let before = index(committed), now = index(defined)
        var notes: [String] = []
        for key in Set(before.keys).union(now.keys).sorted() {
            let id = (now[key] ?? before[key])!.id
            let name = "\(noun) '\(ResourceID(id).name)' (\(id))"
            switch (now[key], before[key]) {
            case (let n?, let b?) where deciding(n) != deciding(b):
                notes.append("\(name) was changed after its last commit; the committed version is read, as Azure enforces it")
            case (_?, nil):
                notes.append("\(name) is not committed to any region of the estate; it is left out, as Azure does not enforce it")
            case (nil, _?):
                notes.append("\(name) is committed but no longer defined; the committed version is read, as Azure enforces it")
            default: break
            }
        }
        return notes
    }
}

/// Region names as ARM compares them: lower case, no spaces (`West Europe` is `westeurope`).
enum AuditRegion {
    static func normalized(_ region: String) -> String { region.lowercased().replacingOccurrences(of: " ", with: "") }

    /// The `location` of a row, normalized.
    static func location(of row: AuditRow) -> String? {
        var parser = JSONParser(maxDepth: 256, maxBytes: max(64 << 20, row.json.count + 1))
        guard let node = try? parser.parse(bytes: [UInt8](row.json)), let location = node["location"]?.stringValue, !location.isEmpty else {
            return nil
        }
        return normalized(location)
    }
}
