import PalisadeModel

/// One DNS name of a private-link sub-resource: its public form, its private-link form, and the zone record a
/// private endpoint's zone group writes for it docs/semantics.md#private-link-cname, #private-dns-zones-per-service).
struct ServiceName: Sendable, Hashable {
    /// The name clients use (`acct.blob.core.windows.net`); `*.` marks a wildcard family of names.
    var publicName: String
    /// The `privatelink` CNAME target the public DNS publishes once a private endpoint exists (docs/semantics.md#private-link-cname).
    var privateName: String
    /// The private DNS zone holding the record (docs/semantics.md#private-dns-zones-per-service).
    var zone: String
    /// The record's name relative to the zone.
    var record: String
    /// The private endpoint member (IP configuration) whose address the record carries (docs/semantics.md#private-dns-zones-per-service, #workspace-names).
    var member: String
}

/// Public and private-link names of modelled PaaS resources (docs/semantics.md#private-dns-zones-per-service, #workspace-names).
enum ServiceNames {
    /// The workspace GUID: the `workspaceId` tag when present, else a deterministic GUID-shaped value derived
    /// from the resource ID (the model has no workspace ID field; docs/engine-decisions.md docs/semantics.md#workspace-names).
    static func workspaceGUID(_ ws: MachineLearningWorkspace) -> String {
        if let id = ws.tags["workspaceId"] ?? ws.tags["workspaceid"] { return id.lowercased() }
        return StableGUID.make(ws.id.rawValue.lowercased())
    }

    /// A Log Analytics workspace ID (its `customerId` GUID): the `workspaceId` tag when present, else a
    /// deterministic GUID-shaped value from the resource ID, as for AML workspaces (docs/semantics.md#workspace-names [ASSUME]).
    static func logAnalyticsGUID(_ ws: LogAnalyticsWorkspace) -> String {
        if let id = ws.tags["workspaceId"] ?? ws.tags["workspaceid"] { return id.lowercased() }
        return StableGUID.make(ws.id.rawValue.lowercased())
    }

    /// The host label of an Azure AI services / OpenAI account: its custom subdomain, else its name (the
    /// custom subdomain is required for private endpoints, PEDNS).
    static func accountLabel(_ account: CognitiveServicesAccount) -> String {
        (account.customSubDomainName ?? account.name).lowercased()
    }

    /// An ARM location as it appears in DNS names (`West Europe` → `westeurope`).
    static func region(_ location: String?) -> String { (location ?? "region").lowercased().replacingOccurrences(of: " ", with: "") }

    /// The private-link sub-resources whose names a resource has, in the order the builder visits them.
    static func groups(for target: Resource) -> [String] {
        switch target {
        case .storageAccount: StorageService.allCases.map(\.rawValue)
        case .keyVault: ["vault"]
        case .containerRegistry: ["registry"]
        case .machineLearningWorkspace: ["amlworkspace"]
        case .monitorPrivateLinkScope: ["azuremonitor"]
        case .cognitiveServicesAccount: ["account"]
        default: []
        }
    }

    /// The names of one sub-resource of `target`. `graph` supplies what the names depend on: a workspace's
    /// compute instances (F-04, F-05) and an AMPLS's scoped resources (Z-06).
    static func names(target: Resource, groupID: String, graph: ResourceGraph) -> [ServiceName] {
        let g = groupID.lowercased()
        switch target {
        case .storageAccount(let a):
            guard StorageService(rawValue: g) != nil || g == "web" else { return [] }
            let zone = "privatelink.\(g).core.windows.net"
            return [ServiceName(publicName: "\(a.name.lowercased()).\(g).core.windows.net", privateName: "\(a.name.lowercased()).\(zone)",
                                zone: zone, record: a.name.lowercased(), member: "default")]
        case .keyVault(let v) where g == "vault":
            let n = v.name.lowercased()
            let zone = "privatelink.vaultcore.azure.net"
            return [ServiceName(publicName: "\(n).vault.azure.net", privateName: "\(n).\(zone)", zone: zone, record: n, member: "default"),
                    ServiceName(publicName: "\(n).vaultcore.azure.net", privateName: "\(n).\(zone)", zone: zone, record: n, member: "default")]
        case .containerRegistry(let r) where g == "registry":
            let n = r.name.lowercased()
            let region = region(r.location)
            let zone = "privatelink.azurecr.io"
            return [ServiceName(publicName: "\(n).azurecr.io", privateName: "\(n).\(zone)", zone: zone, record: n, member: "registry"),
                    ServiceName(publicName: "\(n).\(region).data.azurecr.io", privateName: "\(n).\(region).data.\(zone)", zone: zone,
                                record: "\(n).\(region).data", member: "registry_data_\(region)")]
        case .machineLearningWorkspace(let w) where g == "amlworkspace":
            return workspaceNames(w, graph: graph)
        case .monitorPrivateLinkScope(let scope) where g == "azuremonitor":
            return monitorNames(scope, graph: graph)
        case .cognitiveServicesAccount(let account) where g == "account":
            return accountNames(account)
        default: return []
        }
    }

    /// AML workspace names (docs/semantics.md#workspace-names).
    private static func workspaceNames(_ w: MachineLearningWorkspace, graph: ResourceGraph) -> [ServiceName] {
        let guid = workspaceGUID(w)
        let region = region(w.location)
        let api = "privatelink.api.azureml.ms"
        var prefix = "ml-\(w.name.lowercased())-\(region)-"
        let maxPrefix = 63 - guid.count
        if prefix.count > maxPrefix { prefix = String(prefix.prefix(maxPrefix - 1)) + "-" }
        let notebook = "\(prefix)\(guid).\(region)"
        let apiRecord = "\(guid).workspace.\(region)"
        // F-01/F-02: the API and cert names share PE IP #1 (docs/semantics.md#workspace-names [ASSUME] cert record name).
        var names = [
            ServiceName(publicName: "\(guid).workspace.\(region).api.azureml.ms", privateName: "\(apiRecord).\(api)", zone: api,
                        record: apiRecord, member: "default"),
            ServiceName(publicName: "\(guid).workspace.\(region).cert.api.azureml.ms", privateName: "\(guid).workspace.\(region).cert.\(api)",
                        zone: api, record: "\(guid).workspace.\(region).cert", member: "default"),
            // F-03: notebooks, PE IP #2.
            ServiceName(publicName: "\(notebook).notebooks.azure.net", privateName: "\(notebook).privatelink.notebooks.azure.net",
                        zone: "privatelink.notebooks.azure.net", record: notebook, member: "notebook"),
        ]
        // F-04/F-05 (docs/semantics.md#workspace-names): `<ci>.<region>.instances.azureml.ms` and `<ci>-22.…` (SSH) answer with the workspace
        // PE IP, not the instance's. Both domains are kept (G-01: `instances.ml.azure.ms` in the 2026 doc,
        // `instances.azureml.ms` in older docs and PEDNS). Their CNAME target is not documented
        // (docs/engine-decisions.md, AML cert and instances names), so [ASSUME] they CNAME to the workspace API private-link name.
        let instances = graph.all(MachineLearningCompute.self).filter { $0.isInstance && $0.workspace == w.id }.map { $0.name.lowercased() }
        for ci in instances.sorted() {
            for domain in ["instances.azureml.ms", "instances.ml.azure.ms"] {
                for label in [ci, "\(ci)-22"] {
                    names.append(ServiceName(publicName: "\(label).\(region).\(domain)", privateName: "\(apiRecord).\(api)", zone: api,
                                             record: apiRecord, member: "default"))
                }
            }
        }
        // Online endpoints: `<endpoint>.<region>.inference.ml.azure.com` → CNAME
        // `<endpoint>.<wsGUID>.inference.<region>.privatelink.api.azureml.ms`, wildcard A `*.<wsGUID>.inference.<region>`
        // in the API zone → PE IP #3. Endpoint names are not modelled, so this is a wildcard family.
        names.append(ServiceName(publicName: "*.\(region).inference.ml.azure.com", privateName: "*.\(guid).inference.\(region).\(api)",
                                 zone: api, record: "*.\(guid).inference.\(region)", member: "inference"))
        return names
    }

    /// Azure Monitor Private Link Scope names (docs/semantics.md#private-dns-zones-per-service, the Azure Monitor row). Record names follow Microsoft's "Configure private link for Azure Monitor" (azure-monitor
    /// docs, logs/private-link-configure.md, "Review your endpoint's DNS settings"): `privatelink.monitor.azure.com`
    /// holds the global endpoints `api`, `in.ai` (a global and a regional entry), `live`, `profiler`, `snapshot`
    /// and `diagservices-query`; the oms, ods and agentsvc zones hold one entry per scoped Log Analytics workspace.
    /// The blob-zone entry (the agents' solution-pack account) is documented without a name and is not modelled;
    /// neither are data collection endpoints (no DCE resource in the model).
    private static func monitorNames(_ scope: MonitorPrivateLinkScope, graph: ResourceGraph) -> [ServiceName] {
        let monitor = "privatelink.monitor.azure.com"
        var names: [ServiceName] = []
        // [ASSUME] the global and regional `in.ai` entries are `global.in.ai` and `<region>.in.ai`; the regional
        // ones are those of the scoped Application Insights components.
        let insightsRegions = Set(scope.scopedResources.compactMap { graph.resource($0, as: ApplicationInsights.self)?.location }
            .map { region($0) })
        let globals = ["api", "global.in.ai"] + insightsRegions.sorted().map { "\($0).in.ai" }
            + ["live", "profiler", "snapshot", "diagservices-query"]
        for record in globals {
            names.append(ServiceName(publicName: "\(record).monitor.azure.com", privateName: "\(record).\(monitor)", zone: monitor,
                                     record: record, member: "default"))
        }
        let workspaces = scope.scopedResources.compactMap { graph.resource($0, as: LogAnalyticsWorkspace.self) }
            .sorted { $0.id.rawValue < $1.id.rawValue }
        for ws in workspaces {
            let id = logAnalyticsGUID(ws)
            for suffix in ["oms.opinsights.azure.com", "ods.opinsights.azure.com", "agentsvc.azure-automation.net"] {
                names.append(ServiceName(publicName: "\(id).\(suffix)", privateName: "\(id).privatelink.\(suffix)", zone: "privatelink.\(suffix)",
                                         record: id, member: "default"))
            }
        }
        return names
    }

    /// Azure AI services / OpenAI account names (sub-resource `account`): PEDNS lists zones
    /// `privatelink.cognitiveservices.azure.com` and `privatelink.openai.azure.com` with public forwarders
    /// `cognitiveservices.azure.com` and `openai.azure.com`; `privatelink.services.ai.azure.com` is the Foundry
    /// zone (https://learn.microsoft.com/azure/private-link/private-endpoint-dns). The OpenAI name is given to `OpenAI` and `AIServices` accounts,
    /// the Foundry name to `AIServices` accounts.
    private static func accountNames(_ account: CognitiveServicesAccount) -> [ServiceName] {
        let label = accountLabel(account)
        let kind = account.kind.lowercased()
        var suffixes = ["cognitiveservices.azure.com"]
        if kind == "openai" || kind == "aiservices" { suffixes.insert("openai.azure.com", at: 0) }
        if kind == "aiservices" { suffixes.append("services.ai.azure.com") }
        return suffixes.map { suffix in
            ServiceName(publicName: "\(label).\(suffix)", privateName: "\(label).privatelink.\(suffix)", zone: "privatelink.\(suffix)",
                        record: label, member: "default")
        }
    }

    /// The DNS name that stands for a resource named as a trace destination (its main public name), or nil.
    static func primaryName(_ target: Resource, graph: ResourceGraph) -> String? {
        switch target {
        case .storageAccount(let a): "\(a.name.lowercased()).blob.core.windows.net"
        case .keyVault(let v): "\(v.name.lowercased()).vault.azure.net"
        case .containerRegistry(let r): "\(r.name.lowercased()).azurecr.io"
        case .machineLearningWorkspace(let w): "\(workspaceGUID(w)).workspace.\(region(w.location)).api.azureml.ms"
        case .cognitiveServicesAccount(let account): accountNames(account).first?.publicName
        case .monitorPrivateLinkScope: "api.monitor.azure.com"
        case .logAnalyticsWorkspace(let ws): "\(logAnalyticsGUID(ws)).ods.opinsights.azure.com"
        // F-04: a compute instance is reached by `<ci>.<region>.instances.azureml.ms` in the workspace's region.
        case .machineLearningCompute(let c) where c.isInstance:
            "\(c.name.lowercased()).\(region(graph[c.workspace]?.payload.location ?? c.location)).instances.azureml.ms"
        default: nil
        }
    }

    /// The service tag that serves a resource's public endpoint (regional when the location is known), or nil
    /// when the docs name none.
    static func publicTag(_ target: Resource) -> String? {
        switch target {
        case .storageAccount(let a): a.location.map { "Storage.\($0)" } ?? "Storage"
        case .keyVault(let v): v.location.map { "AzureKeyVault.\($0)" } ?? "AzureKeyVault"
        case .containerRegistry(let r): r.location.map { "AzureContainerRegistry.\($0)" } ?? "AzureContainerRegistry"
        case .machineLearningWorkspace: "AzureMachineLearning"
        // Azure Monitor's public endpoints are the global `AzureMonitor` tag.
        case .monitorPrivateLinkScope, .logAnalyticsWorkspace: "AzureMonitor"
        default: nil
        }
    }
}

extension NetworkModelBuilder {
    /// Zones, links, explicit record sets and zone-group records of private endpoints (docs/semantics.md#private-dns-zone-links, #private-dns-nxdomain, #private-link-cname, #private-dns-zones-per-service, #workspace-names).
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
        var wildcards: [DNSModel.WildcardName] = []
        var hosts: [String: IPv4Address] = [:]
        // Public names of modelled services (without private-link CNAME until a PE exists, docs/semantics.md#private-link-cname [ASSUME]).
        let targets: [Resource] = graph.all(StorageAccount.self).map(\.asResource) + graph.all(KeyVault.self).map(\.asResource)
            + graph.all(ContainerRegistry.self).map(\.asResource) + graph.all(MachineLearningWorkspace.self).map(\.asResource)
            + graph.all(MonitorPrivateLinkScope.self).map(\.asResource) + graph.all(CognitiveServicesAccount.self).map(\.asResource)
        for target in targets {
            let address = ServiceNames.publicTag(target).map { tags.representative($0) } ?? .atom(.host(target.id.name))
            for g in ServiceNames.groups(for: target) {
                for n in ServiceNames.names(target: target, groupID: g, graph: graph) {
                    if n.publicName.hasPrefix("*.") {
                        wildcards.append(DNSModel.WildcardName(publicSuffix: String(n.publicName.dropFirst()),
                                                               privateSuffix: String(n.privateName.dropFirst()),
                                                               resource: target.id, publicAddress: address, privateLinked: false))
                    } else if publicNames[n.publicName] == nil {
                        publicNames[n.publicName] = DNSModel.PublicName(resource: target.id, privateLinkName: nil, publicAddress: address)
                    }
                }
            }
        }
        // Log Analytics workspaces have public ingestion names whether or not an AMPLS scopes them (Z-06).
        for ws in graph.all(LogAnalyticsWorkspace.self) {
            let id = ServiceNames.logAnalyticsGUID(ws)
            let address = tags.representative("AzureMonitor")
            for suffix in ["oms.opinsights.azure.com", "ods.opinsights.azure.com", "agentsvc.azure-automation.net"] {
                publicNames["\(id).\(suffix)"] = DNSModel.PublicName(resource: ws.id, privateLinkName: nil, publicAddress: address)
            }
        }
        // Each private endpoint member's address, by (endpoint, group, member): the first in the endpoints' own order,
        // looked up per name instead of scanning every endpoint.
        struct Member: Hashable { var resource: ResourceID; var group: String?; var member: String? }
        var members: [Member: Endpoint] = [:]
        for endpoint in endpoints.values {
            let key = Member(resource: endpoint.resource, group: endpoint.groupID?.lowercased(), member: endpoint.memberName)
            if members[key] == nil { members[key] = endpoint }
        }
        // Private endpoints: the public CNAME appears, and zone-group records are created (docs/semantics.md#private-link-cname, #private-dns-zones-per-service).
        for pe in graph.all(PrivateEndpoint.self) {
            guard let targetID = pe.target, let target = graph[targetID] else { continue }
            let zoneNames = Set((pe.privateDnsZoneGroup?.zones ?? []).map { $0.name.lowercased() })
            for g in pe.groupIDs {
                for n in ServiceNames.names(target: target, groupID: g, graph: graph) {
                    let wildcard = n.publicName.hasPrefix("*.")
                    if wildcard {
                        for i in wildcards.indices where wildcards[i].resource == target.id && "*" + wildcards[i].publicSuffix == n.publicName {
                            wildcards[i].privateLinked = true
                        }
                    } else {
                        publicNames[n.publicName]?.privateLinkName = n.privateName
                    }
                    guard let endpoint = members[Member(resource: pe.id, group: g.lowercased(), member: n.member)] else { continue }
                    if !wildcard { hosts[n.publicName] = endpoint.address }
                    // docs/semantics.md#private-dns-zones-per-service: the later ACR revision uses `<region>.data.privatelink.azurecr.io`.
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
        return DNSModel(zones: zones.values.sorted { $0.name < $1.name }, publicNames: publicNames,
                        wildcardNames: wildcards.sorted { ($0.publicSuffix, $0.resource.rawValue) < ($1.publicSuffix, $1.resource.rawValue) },
                        hostsFile: hosts, assumeExternalPrivateLink: options.assumeExternalNamesHavePrivateLink)
    }
}
