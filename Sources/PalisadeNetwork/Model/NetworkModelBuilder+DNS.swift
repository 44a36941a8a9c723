import PalisadeModel

/// Public and private-link names of modelled PaaS resources (D11–D13).
enum ServiceNames {
    /// The workspace GUID: the `workspaceId` tag when present, else a deterministic GUID-shaped value derived
    /// from the resource ID (the model has no workspace ID field; docs/engine-decisions.md D13).
    static func workspaceGUID(_ ws: MachineLearningWorkspace) -> String {
        if let id = ws.tags["workspaceId"] ?? ws.tags["workspaceid"] { return id.lowercased() }
        return StableGUID.make(ws.id.rawValue.lowercased())
    }

    static func region(_ location: String?) -> String { (location ?? "region").lowercased().replacingOccurrences(of: " ", with: "") }

    /// (public name, private-link name, private zone, relative record, member) for one sub-resource.
    static func names(target: Resource, groupID: String) -> [(publicName: String, privateName: String, zone: String, record: String, member: String)] {
        let g = groupID.lowercased()
        switch target {
        case .storageAccount(let a):
            guard StorageService(rawValue: g) != nil || g == "web" else { return [] }
            let zone = "privatelink.\(g).core.windows.net"
            return [("\(a.name.lowercased()).\(g).core.windows.net", "\(a.name.lowercased()).\(zone)", zone, a.name.lowercased(), "default")]
        case .keyVault(let v) where g == "vault":
            let n = v.name.lowercased()
            return [("\(n).vault.azure.net", "\(n).privatelink.vaultcore.azure.net", "privatelink.vaultcore.azure.net", n, "default"),
                    ("\(n).vaultcore.azure.net", "\(n).privatelink.vaultcore.azure.net", "privatelink.vaultcore.azure.net", n, "default")]
        case .containerRegistry(let r) where g == "registry":
            let n = r.name.lowercased()
            let region = region(r.location)
            return [("\(n).azurecr.io", "\(n).privatelink.azurecr.io", "privatelink.azurecr.io", n, "registry"),
                    ("\(n).\(region).data.azurecr.io", "\(n).\(region).data.privatelink.azurecr.io", "privatelink.azurecr.io",
                     "\(n).\(region).data", "registry_data_\(region)")]
        case .machineLearningWorkspace(let w) where g == "amlworkspace":
            let guid = workspaceGUID(w)
            let region = region(w.location)
            let api = "privatelink.api.azureml.ms"
            var prefix = "ml-\(w.name.lowercased())-\(region)-"
            let maxPrefix = 63 - guid.count
            if prefix.count > maxPrefix { prefix = String(prefix.prefix(maxPrefix - 1)) + "-" }
            let notebook = "\(prefix)\(guid).\(region)"
            return [
                ("\(guid).workspace.\(region).api.azureml.ms", "\(guid).workspace.\(region).\(api)", api, "\(guid).workspace.\(region)", "default"),
                ("\(guid).workspace.\(region).cert.api.azureml.ms", "\(guid).workspace.\(region).cert.\(api)", api,
                 "\(guid).workspace.\(region).cert", "default"),
                ("\(notebook).notebooks.azure.net", "\(notebook).privatelink.notebooks.azure.net", "privatelink.notebooks.azure.net",
                 notebook, "notebook"),
                ("*.\(guid).inference.\(region).api.azureml.ms", "*.\(guid).inference.\(region).\(api)", api,
                 "*.\(guid).inference.\(region)", "inference"),
            ]
        default: return []
        }
    }

    /// The service tag that serves a resource's public endpoint (regional when the location is known).
    static func publicTag(_ target: Resource) -> String? {
        switch target {
        case .storageAccount(let a): a.location.map { "Storage.\($0)" } ?? "Storage"
        case .keyVault(let v): v.location.map { "AzureKeyVault.\($0)" } ?? "AzureKeyVault"
        case .containerRegistry(let r): r.location.map { "AzureContainerRegistry.\($0)" } ?? "AzureContainerRegistry"
        case .machineLearningWorkspace: "AzureMachineLearning"
        default: nil
        }
    }
}

extension NetworkModelBuilder {
    /// Zones, links, explicit record sets and zone-group records of private endpoints (D2, D4, D5, D10–D13).
    mutating func buildDNS(endpoints: [IPv4Address: Endpoint], tags: TagResolver) -> DNSModel {
        var zones: [String: DNSModel.Zone] = [:]
        for zone in graph.all(PrivateDnsZone.self) {
            let name = zone.name.lowercased()
            var z = DNSModel.Zone(name: name, id: zone.id, records: [:], cnames: [:], links: [:])
            for link in zone.virtualNetworkLinks { z.links[link.virtualNetwork] = link.resolutionPolicy }
            for set in zone.recordSets {
                let rel = set.name.lowercased()
                if set.type.uppercased() == "A" { z.records[rel, default: []] += set.aRecords }
                if set.type.uppercased() == "CNAME", let target = set.cname { z.cnames[rel] = target.lowercased() }
            }
            zones[name] = z
        }
        var publicNames: [String: DNSModel.PublicName] = [:]
        var hosts: [String: IPv4Address] = [:]
        // Public names of modelled services (without private-link CNAME until a PE exists, D5 [ASSUME]).
        let targets: [Resource] = graph.all(StorageAccount.self).map(\.asResource) + graph.all(KeyVault.self).map(\.asResource)
            + graph.all(ContainerRegistry.self).map(\.asResource) + graph.all(MachineLearningWorkspace.self).map(\.asResource)
        for target in targets {
            let groups: [String] = switch target {
            case .storageAccount: StorageService.allCases.map(\.rawValue)
            case .keyVault: ["vault"]
            case .containerRegistry: ["registry"]
            default: ["amlworkspace"]
            }
            let address = ServiceNames.publicTag(target).map { tags.representative($0) } ?? .atom(.host(target.id.name))
            for g in groups {
                for n in ServiceNames.names(target: target, groupID: g) where !n.publicName.hasPrefix("*") {
                    publicNames[n.publicName] = DNSModel.PublicName(resource: target.id, privateLinkName: nil, publicAddress: address)
                }
            }
        }
        // Private endpoints: the public CNAME appears, and zone-group records are created (D5, D10).
        for pe in graph.all(PrivateEndpoint.self) {
            guard let targetID = pe.target, let target = graph[targetID] else { continue }
            let zoneNames = Set((pe.privateDnsZoneGroup?.zones ?? []).map { $0.name.lowercased() })
            for g in pe.groupIDs {
                for n in ServiceNames.names(target: target, groupID: g) {
                    if !n.publicName.hasPrefix("*") { publicNames[n.publicName]?.privateLinkName = n.privateName }
                    guard let endpoint = endpoints.values.first(where: {
                        $0.resource == pe.id && $0.groupID?.lowercased() == g.lowercased() && $0.memberName == n.member
                    }) else { continue }
                    if !n.publicName.hasPrefix("*") { hosts[n.publicName] = endpoint.address }
                    // D11/D12: the later ACR revision uses `<region>.data.privatelink.azurecr.io`.
                    var zoneName = n.zone
                    var record = n.record
                    if n.member.hasPrefix("registry_data_") {
                        let regional = "\(ServiceNames.region(target.payload.location)).data.privatelink.azurecr.io"
                        if zoneNames.contains(regional) {
                            zoneName = regional
                            record = target.id.name.lowercased()
                        }
                    }
                    guard zoneNames.contains(zoneName), var zone = zones[zoneName] else { continue }
                    zone.records[record] = [endpoint.address]
                    zones[zoneName] = zone
                }
            }
        }
        return DNSModel(zones: zones.values.sorted { $0.name < $1.name }, publicNames: publicNames, hostsFile: hosts,
                        assumeExternalPrivateLink: options.assumeExternalNamesHavePrivateLink)
    }
}
