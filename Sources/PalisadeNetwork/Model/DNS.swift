import PalisadeModel

/// Whose resolver answers a query (docs/semantics.md#azure-dns-resolution-order, #azure-dns-inside-vnet, #hosts-file, #vpn-client-dns, #firewall-network-rules).
public enum DNSView: Hashable, Sendable, Codable {
    /// A VM in a VNet (its DNS setting, linked zones, then public recursion, docs/semantics.md#azure-dns-resolution-order).
    case virtualNetwork(ResourceID)
    /// A point-to-site VPN client, per `NetworkOptions.vpnClientDNS`.
    case vpnClient
    /// An Azure Firewall's DNS (proxy or network-rule FQDN resolution, docs/semantics.md#firewall-network-rules).
    case firewall(ResourceID)
    /// A host on the Internet (public DNS only).
    case internet
}

/// The result of resolving a name.
public struct DNSAnswer: Hashable, Sendable, Codable {
    /// The name asked for.
    public var query: String
    /// The CNAME chain followed, first to last.
    public var chain: [String]
    /// The addresses returned (empty with NXDOMAIN).
    public var addresses: [Address]
    /// Whether the answer is NXDOMAIN (docs/semantics.md#private-dns-nxdomain).
    public var nxdomain: Bool
    /// How the answer was found, in one line.
    public var detail: String
    /// The modelled resource whose public endpoint answered, if any.
    public var publicEndpointOf: ResourceID?
    /// Assumptions the answer depends on.
    public var assumptions: [String]
}

/// Private zones, their links and records, and the public names of modelled services (docs/semantics.md#dns).
struct DNSModel: Sendable {
    struct Zone: Sendable {
        var name: String
        var id: ResourceID
        var records: [String: [IPv4Address]]
        var cnames: [String: String]
        var links: [ResourceID: String]
    }
    /// A modelled public name.
    struct PublicName: Sendable {
        var resource: ResourceID
        /// The `privatelink` CNAME target, present once the resource has a matching private endpoint (docs/semantics.md#private-link-cname).
        var privateLinkName: String?
        var publicAddress: Address
    }

    /// A family of public names `<label><publicSuffix>` whose records are a wildcard, such as managed online
    /// endpoints `<endpoint>.<region>.inference.ml.azure.com` (F-06): the label is not modelled.
    struct WildcardName: Sendable {
        /// `.westeurope.inference.ml.azure.com` (with the leading dot).
        var publicSuffix: String
        /// `.<wsGUID>.inference.westeurope.privatelink.api.azureml.ms` (with the leading dot).
        var privateSuffix: String
        var resource: ResourceID
        var publicAddress: Address
        /// Whether a private endpoint exists, so that the public DNS CNAMEs into privatelink (docs/semantics.md#private-link-cname).
        var privateLinked: Bool

        /// The single label `name` adds in front of `suffix`, or nil.
        static func label(of name: String, before suffix: String) -> String? {
            guard name.hasSuffix(suffix) else { return nil }
            let label = name.dropLast(suffix.count)
            return label.isEmpty || label.contains(".") ? nil : String(label)
        }
    }

    var zones: [Zone]
    var publicNames: [String: PublicName]
    /// Wildcard name families, sorted by suffix then resource (deterministic choice when two workspaces share
    /// a region).
    var wildcardNames: [WildcardName]
    /// Hosts-file entries for VPN clients (docs/semantics.md#hosts-file): every private endpoint FQDN → IP.
    var hostsFile: [String: IPv4Address]
    var assumeExternalPrivateLink: Bool
    /// Private-link name → the public name that CNAMEs to it (the smallest, when several do: compute instance
    /// names share the workspace API private-link name).
    private let publicFormOf: [String: String]

    init(zones: [Zone], publicNames: [String: PublicName], wildcardNames: [WildcardName], hostsFile: [String: IPv4Address],
         assumeExternalPrivateLink: Bool) {
        self.zones = zones
        self.publicNames = publicNames
        self.wildcardNames = wildcardNames
        self.hostsFile = hostsFile
        self.assumeExternalPrivateLink = assumeExternalPrivateLink
        var reverse: [String: String] = [:]
        for (name, known) in publicNames {
            guard let plink = known.privateLinkName else { continue }
            if let existing = reverse[plink], existing < name { continue }
            reverse[plink] = name
        }
        publicFormOf = reverse
    }

    /// Public zones that have a private-link form: public suffix → private-link suffix (docs/semantics.md#private-dns-zones-per-service).
    static let privateLinkSuffixes: [(String, String)] = [
        ("blob.core.windows.net", "privatelink.blob.core.windows.net"),
        ("file.core.windows.net", "privatelink.file.core.windows.net"),
        ("queue.core.windows.net", "privatelink.queue.core.windows.net"),
        ("table.core.windows.net", "privatelink.table.core.windows.net"),
        ("dfs.core.windows.net", "privatelink.dfs.core.windows.net"),
        ("vault.azure.net", "privatelink.vaultcore.azure.net"),
        ("vaultcore.azure.net", "privatelink.vaultcore.azure.net"),
        ("azurecr.io", "privatelink.azurecr.io"),
        ("api.azureml.ms", "privatelink.api.azureml.ms"),
        ("notebooks.azure.net", "privatelink.notebooks.azure.net"),
        // Azure AI services / OpenAI accounts (https://learn.microsoft.com/azure/private-link/private-endpoint-dns, `account` row).
        ("openai.azure.com", "privatelink.openai.azure.com"),
        ("cognitiveservices.azure.com", "privatelink.cognitiveservices.azure.com"),
        ("services.ai.azure.com", "privatelink.services.ai.azure.com"),
        // Log Analytics workspace endpoints behind an AMPLS (docs/semantics.md#private-dns-zones-per-service AMPLS row, Z-06).
        ("oms.opinsights.azure.com", "privatelink.oms.opinsights.azure.com"),
        ("ods.opinsights.azure.com", "privatelink.ods.opinsights.azure.com"),
        ("agentsvc.azure-automation.net", "privatelink.agentsvc.azure-automation.net"),
    ]

    /// Well-known public names → the service tag whose addresses serve them (used for representative
    /// addresses only; docs/semantics.md#aml-compute-outbound).
    static let wellKnownNames: [(FQDNPattern, String)] = [
        (FQDNPattern("login.microsoftonline.com"), "AzureActiveDirectory"),
        (FQDNPattern("login.windows.net"), "AzureActiveDirectory"),
        (FQDNPattern("graph.windows.net"), "AzureActiveDirectory"),
        (FQDNPattern("management.azure.com"), "AzureResourceManager"),
        (FQDNPattern("mcr.microsoft.com"), "MicrosoftContainerRegistry"),
        (FQDNPattern("*.data.mcr.microsoft.com"), "MicrosoftContainerRegistry"),
        (FQDNPattern("ml.azure.com"), "AzureFrontDoor.Frontend"),
        (FQDNPattern("*.api.azureml.ms"), "AzureMachineLearning"),
        (FQDNPattern("*.instances.azureml.ms"), "AzureMachineLearning"),
        (FQDNPattern("*.instances.ml.azure.ms"), "AzureMachineLearning"),  // F-04 2026 domain (G-01)
        (FQDNPattern("*.tundra.azureml.ms"), "AzureMachineLearning"),
        (FQDNPattern("*.batch.azure.com"), "BatchNodeManagement"),
        (FQDNPattern("*.blob.core.windows.net"), "Storage"),
        (FQDNPattern("*.file.core.windows.net"), "Storage"),
        (FQDNPattern("*.queue.core.windows.net"), "Storage"),
        (FQDNPattern("*.table.core.windows.net"), "Storage"),
        (FQDNPattern("*.dfs.core.windows.net"), "Storage"),
        (FQDNPattern("*.vault.azure.net"), "AzureKeyVault"),
        (FQDNPattern("*.azurecr.io"), "AzureContainerRegistry"),
        (FQDNPattern("*.monitor.azure.com"), "AzureMonitor"),
    ]

    /// Services whose well-known names are served from the regional form `Tag.<Region>` of their tag: the AML
    /// firewall guidance names them per region (`BatchNodeManagement.<region>`, `Storage.<region>`,
    /// `MicrosoftContainerRegistry.<region>`, `Keyvault.<region>`, `AzureContainerRegistry.<region>`;
    /// https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall), and a regional tag is a subset of its global tag (docs/semantics.md#service-tags).
    /// `AzureMachineLearning` stays global: TAGS lists it as not regional (docs/semantics.md#service-tags).
    static let regionalServices: Set<String> = [
        "storage", "microsoftcontainerregistry", "batchnodemanagement", "azurekeyvault", "azurecontainerregistry",
    ]

    /// The tag that serves a well-known name for a client in `region`: `Tag.<Region>` when the service is
    /// regional and that regional tag exists (in the loaded file, or as a symbolic atom the model names, so the
    /// TagResolver keeps it inside the global tag), else `tag`. A region label inside the name
    /// (`x.westeurope.batch.azure.com`) wins over the client's region. [ASSUME] a regional service answers a
    /// client from its own region's prefixes; the answer's assumptions say so.
    static func servingTag(_ tag: String, for name: String, region: String?, tags: TagResolver) -> (tag: String, region: String?) {
        guard regionalServices.contains(tag.lowercased()) else { return (tag, nil) }
        let named = name.split(separator: ".").lazy.compactMap { AzureRegion.named(String($0)) }.first
        guard let location = named?.name ?? region, !location.isEmpty else { return (tag, nil) }
        let suffix = AzureRegion.named(location)?.tagSuffix ?? ServiceNames.region(location)
        let regional = "\(tag).\(suffix)"
        let exists = tags.catalog.entry(tag) != nil
            ? tags.catalog.entry(regional) != nil
            : tags.universe.contains(Atom.tag(regional))
        return exists ? (regional, location) : (tag, nil)
    }

    /// The source region a view's answers are given for: the VNet's location (the firewall's VNet for a
    /// firewall); nil for the Internet and VPN clients (their public traffic leaves outside Azure, docs/semantics.md#gateway-transit).
    func sourceRegion(_ view: DNSView, model: NetworkModel) -> String? {
        switch view {
        case .virtualNetwork(let vnet): return model.virtualNetworks[vnet]?.location
        case .firewall(let id):
            let vnet = model.firewalls.first { $0.id == id }?.virtualNetwork
                ?? model.endpoints.values.first { $0.kind == .azureFirewall && $0.resource == id }?.subnet.parent
            return vnet.flatMap { model.virtualNetworks[$0]?.location }
        case .internet, .vpnClient: return nil
        }
    }

    /// The modelled public name `name` is (exactly, or as a member of a wildcard family), with its private-link
    /// CNAME when a private endpoint exists (docs/semantics.md#private-link-cname). When several workspaces' families match, the first by
    /// resource ID answers and `ambiguous` lists them.
    func publicName(for name: String) -> PublicName? { lookupPublic(name).known }

    /// The public name and, for a wildcard match, every workspace whose family matched.
    private func lookupPublic(_ name: String) -> (known: PublicName?, candidates: [ResourceID]) {
        if let known = publicNames[name] { return (known, []) }
        let matches = wildcardNames.compactMap { w in WildcardName.label(of: name, before: w.publicSuffix).map { (family: w, label: $0) } }
        guard let chosen = matches.first(where: { $0.family.privateLinked }) ?? matches.first else { return (nil, []) }
        let family = chosen.family
        let known = PublicName(resource: family.resource, privateLinkName: family.privateLinked ? chosen.label + family.privateSuffix : nil,
                               publicAddress: family.publicAddress)
        return (known, matches.map(\.family.resource))
    }

    /// `publicName(for:)` that records an ambiguous wildcard choice in the answer's assumptions.
    private func publicName(for name: String, answer: inout DNSAnswer) -> PublicName? {
        let (known, candidates) = lookupPublic(name)
        if let known, candidates.count > 1 {
            let note = "\(name) matches names of \(candidates.map(\.name).joined(separator: ", ")); assumed to belong to \(known.resource.name)"
            if !answer.assumptions.contains(note) { answer.assumptions.append(note) }
        }
        return known
    }

    /// The public name whose private-link CNAME is `privateName` (exact or wildcard family), for the public
    /// resolution of a privatelink name (docs/semantics.md#private-link-cname).
    private func publicForm(ofPrivateLinkName privateName: String) -> PublicName? {
        if let name = publicFormOf[privateName] { return publicNames[name] }
        for family in wildcardNames where family.privateLinked {
            if let label = WildcardName.label(of: privateName, before: family.privateSuffix) {
                return PublicName(resource: family.resource, privateLinkName: label + family.privateSuffix,
                                  publicAddress: family.publicAddress)
            }
        }
        return nil
    }

    /// The linked zone that is authoritative for `name` in `vnet`: the longest zone suffix (docs/semantics.md#private-dns-zone-links, #private-dns-zones-per-service [ASSUME]).
    func linkedZone(for name: String, vnet: ResourceID) -> Zone? {
        zones.filter { $0.links[vnet] != nil && (name == $0.name || name.hasSuffix("." + $0.name)) }
            .max { $0.name.count < $1.name.count }
    }

    /// Resolves `name` as seen by `view` (docs/semantics.md#azure-dns-resolution-order, #vpn-client-dns). `resolveVNetView` maps custom DNS server choices.
    func resolve(_ query: String, view: DNSView, model: NetworkModel) -> DNSAnswer {
        var name = query.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if let ip = IPv4Address(name) {
            return DNSAnswer(query: query, chain: [], addresses: [.ip(ip)], nxdomain: false, detail: "literal address",
                             publicEndpointOf: nil, assumptions: [])
        }
        var answer = DNSAnswer(query: query, chain: [], addresses: [], nxdomain: false, detail: "", publicEndpointOf: nil,
                               assumptions: [])
        let region = sourceRegion(view, model: model)
        switch view {
        case .internet:
            resolvePublic(name, region: region, answer: &answer, model: model)
            answer.detail = "public DNS: " + answer.detail
        case .vpnClient:
            switch model.options.vpnClientDNS {
            case .hostsFile:
                if let ip = hostsFile[name] {
                    answer.addresses = [.ip(ip)]
                    answer.detail = "hosts file entry generated from the model's private endpoints (docs/semantics.md#hosts-file)"
                } else {
                    resolvePublic(name, region: region, answer: &answer, model: model)
                    answer.detail = "no hosts file entry; public DNS: " + answer.detail
                }
            case .publicResolver:
                resolvePublic(name, region: region, answer: &answer, model: model)
                answer.detail = "VPN client uses a public resolver; private zones are not visible (docs/semantics.md#azure-dns-inside-vnet): " + answer.detail
            case .virtualNetworkResolver:
                if let vnet = model.gatewayVirtualNetwork {
                    resolveAzure(name, vnet: vnet, region: region, answer: &answer, model: model)
                    answer.detail = "VPN client DNS forwards to a resolver in \(vnet.name) (docs/semantics.md#vpn-client-dns): " + answer.detail
                } else {
                    resolvePublic(name, region: region, answer: &answer, model: model)
                    answer.detail = "no gateway VNet; public DNS: " + answer.detail
                }
            }
        case .firewall(let id):
            let vnet = model.firewalls.first { $0.id == id }?.virtualNetwork
                ?? model.endpoints.values.first { $0.kind == .azureFirewall && $0.resource == id }?.subnet.parent
            if let vnet {
                resolveAzure(name, vnet: vnet, region: region, answer: &answer, model: model)
                answer.detail = "firewall \(id.name) resolves with Azure DNS from \(vnet.name) (docs/semantics.md#firewall-network-rules): " + answer.detail
            } else {
                resolvePublic(name, region: region, answer: &answer, model: model)
            }
        case .virtualNetwork(let vnet):
            // docs/semantics.md#dns-private-resolver, #dns-forwarding-rulesets: resolver inbound endpoints and linked rulesets.
            if resolveThroughPrivateResolver(name, vnet: vnet, region: region, answer: &answer, model: model) { return answer }
            let servers = model.virtualNetworks[vnet]?.dnsServers ?? []
            if let server = servers.first, server != .azureHost {
                // docs/semantics.md#azure-dns-resolution-order (1): custom servers answer. A firewall with DNS proxy, or a forwarder inside a modelled VNet,
                // is assumed to forward to 168.63.129.16 from its own VNet (docs/semantics.md#custom-dns-forwarders).
                if let fw = model.firewalls.first(where: { $0.privateAddress == server }) {
                    if fw.dnsProxyEnabled {
                        resolveAzure(name, vnet: fw.virtualNetwork, region: region, answer: &answer, model: model)
                        answer.detail = "custom DNS \(server) = firewall \(fw.name) DNS proxy (docs/semantics.md#firewall-network-rules): " + answer.detail
                    } else {
                        answer.nxdomain = true
                        answer.detail = "custom DNS \(server) is firewall \(fw.name) without DNS proxy: no answer"
                    }
                } else if let endpoint = model.endpoints[server], let forwarderVNet = model.subnets[endpoint.subnet]?.virtualNetwork {
                    resolveAzure(name, vnet: forwarderVNet, region: region, answer: &answer, model: model)
                    answer.detail = "custom DNS \(server) in \(forwarderVNet.name), assumed to forward to 168.63.129.16 (docs/semantics.md#custom-dns-forwarders): "
                        + answer.detail
                    answer.assumptions.append("custom DNS server \(server) forwards to Azure DNS")
                } else if let resolverVNet = model.virtualNetworks.values.filter({ $0.addressSpace.contains { $0.contains(server) } })
                    .map(\.id).min() {
                    // A server at an address no modelled resource holds, inside a modelled VNet: a DNS Private Resolver
                    // inbound endpoint (or a forwarder) there, which answers as Azure DNS in that VNet
                    // (docs/semantics.md#dns-private-resolver, #custom-dns-forwarders). Landing zones declare their
                    // resolver's inbound address this way.
                    resolveAzure(name, vnet: resolverVNet, region: region, answer: &answer, model: model)
                    answer.detail = "custom DNS \(server) in \(resolverVNet.name), a resolver answering as Azure DNS there (docs/semantics.md#dns-private-resolver): "
                        + answer.detail
                    answer.assumptions.append("custom DNS server \(server) answers as Azure DNS in \(resolverVNet.name)")
                } else {
                    resolvePublic(name, region: region, answer: &answer, model: model)
                    answer.detail = "custom DNS \(server) outside the model; treated as a public resolver: " + answer.detail
                    answer.assumptions.append("custom DNS server \(server) is a public resolver")
                }
            } else {
                resolveAzure(name, vnet: vnet, region: region, answer: &answer, model: model)
                answer.detail = "Azure DNS from \(vnet.name): " + answer.detail
            }
        }
        return answer
    }

    /// Azure-provided DNS inside `vnet` (docs/semantics.md#azure-dns-resolution-order steps 2 and 4; docs/semantics.md#private-dns-nxdomain).
    func resolveAzure(_ name: String, vnet: ResourceID, region: String?, answer: inout DNSAnswer, model: NetworkModel) {
        var current = name
        for _ in 0..<8 {
            if let zone = linkedZone(for: current, vnet: vnet) {
                let relative = current == zone.name ? "@" : String(current.dropLast(zone.name.count + 1))
                if let ips = records(in: zone, relative) {
                    answer.addresses = ips.map { .ip($0) }
                    answer.detail += "\(current) A \(ips.map(\.description).joined(separator: ",")) in linked zone \(zone.name)"
                    return
                }
                if let target = zone.cnames[relative] {
                    answer.chain.append(target)
                    current = target
                    continue
                }
                if zone.links[vnet]?.lowercased() == "nxdomainredirect" {
                    answer.detail += "no record in linked zone \(zone.name); link has NxDomainRedirect, public fallback (docs/semantics.md#private-dns-nxdomain); "
                    resolvePublic(current, region: region, answer: &answer, model: model, followPrivateLink: false)
                    return
                }
                answer.nxdomain = true
                answer.detail += "NXDOMAIN: linked zone \(zone.name) has no record for \(current) (docs/semantics.md#private-dns-nxdomain)"
                return
            }
            // Not in a linked zone: public recursion, which may CNAME into privatelink (docs/semantics.md#private-link-cname).
            if let next = publicCNAME(current, model: model, answer: &answer) {
                answer.chain.append(next)
                current = next
                continue
            }
            resolvePublic(current, region: region, answer: &answer, model: model)
            return
        }
        answer.nxdomain = true
        answer.detail += "CNAME chain too long"
    }

    /// The public CNAME to the private-link name, if the public DNS publishes one (docs/semantics.md#private-link-cname).
    private func publicCNAME(_ name: String, model: NetworkModel, answer: inout DNSAnswer) -> String? {
        if let known = publicName(for: name, answer: &answer) { return known.privateLinkName }
        guard assumeExternalPrivateLink else { return nil }
        for (suffix, privateSuffix) in DNSModel.privateLinkSuffixes where name.hasSuffix("." + suffix) {
            let label = name.dropLast(suffix.count + 1)
            if label.contains(".") || label.isEmpty { continue }
            answer.assumptions.append("\(name) is assumed to have a private endpoint elsewhere (public CNAME to privatelink)")
            return "\(label).\(privateSuffix)"
        }
        return nil
    }

    /// Public DNS (the Internet's view); `region` is the client's region for regional service tags.
    private func resolvePublic(_ name: String, region: String?, answer: inout DNSAnswer, model: NetworkModel,
                               followPrivateLink: Bool = true) {
        var current = name
        var direct = publicName(for: current, answer: &answer)
        if followPrivateLink, let plink = direct?.privateLinkName {
            answer.chain.append(plink)
            current = plink
            direct = nil
        }
        // A privatelink name publicly CNAMEs on to the service's public frontend (docs/semantics.md#private-link-cname).
        if let known = publicForm(ofPrivateLinkName: current) ?? direct {
            answer.addresses = [known.publicAddress]
            answer.publicEndpointOf = known.resource
            answer.detail += "\(name) → public endpoint of \(known.resource.name) (\(known.publicAddress))"
            return
        }
        for (pattern, globalTag) in DNSModel.wellKnownNames where pattern.matches(current) {
            let serving = DNSModel.servingTag(globalTag, for: current, region: region, tags: model.tags)
            let address = model.tags.representative(serving.tag)
            answer.addresses = [address]
            answer.detail += "\(name) → public address in service tag \(serving.tag) (\(address))"
            if let location = serving.region {
                answer.assumptions.append("\(name) is served from service tag \(serving.tag), the regional form of \(globalTag) "
                                          + "for \(location) (an endpoint in another region would be in that region's tag)")
            } else {
                answer.assumptions.append("\(name) is served from service tag \(serving.tag)")
            }
            return
        }
        answer.addresses = [.atom(.host(name))]
        answer.detail += "\(name) → a public Internet address (not modelled)"
    }

    private func records(in zone: Zone, _ relative: String) -> [IPv4Address]? {
        if let ips = zone.records[relative] { return ips }
        // Wildcard records: `*.rest` matches one or more labels before `rest`.
        for (key, ips) in zone.records.sorted(by: { $0.key < $1.key }) where key.hasPrefix("*.") {
            if relative.hasSuffix(String(key.dropFirst(1))) { return ips }
        }
        return nil
    }
}
