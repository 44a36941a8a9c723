import Foundation
import PalisadeModel

/// Checks the values of a decoded spec; every problem names the key path, the value and what is allowed.
struct SpecValidator {
    let spec: Spec
    private var found = Diagnostics()
    private var locate: (String) -> SourceLocation? = { _ in nil }

    init(spec: Spec) { self.spec = spec }

    private mutating func error(_ path: String, _ message: String, fix: String) {
        found.append(Diagnostic(.error, code: "spec.invalid-value", message, fix: fix,
                                at: locate(path) ?? SourceLocation(file: "", path: path)))
    }

    private mutating func note(_ path: String, _ message: String, fix: String) {
        found.append(Diagnostic(.note, code: "spec.cost", message, fix: fix,
                                at: locate(path) ?? SourceLocation(file: "", path: path)))
    }

    private mutating func warning(_ path: String, _ message: String, fix: String) {
        found.append(Diagnostic(.warning, code: "spec.insecure-value", message, fix: fix,
                                at: locate(path) ?? SourceLocation(file: "", path: path)))
    }

    mutating func validate(into diagnostics: inout Diagnostics, locate: @escaping (String) -> SourceLocation?) {
        self.locate = locate
        defer { diagnostics.append(contentsOf: found.items) }
        if !(1...Spec.highestSupportedVersion).contains(spec.version) {
            error("version", "spec version \(spec.version) is not supported",
                  fix: "use version: \(Spec.highestSupportedVersion) (this build understands 1…\(Spec.highestSupportedVersion))")
        }
        if !matches(spec.name, "^[a-z][a-z0-9]{0,15}$") {
            error("name", "name '\(spec.name)' must be 1–16 lower-case letters and digits starting with a letter",
                  fix: "it becomes part of storage, key vault and registry names, which allow only [a-z0-9] and ≤24 characters")
        }
        if AzureRegion.named(spec.location) == nil {
            let suggestion = closest(to: spec.location, in: AzureRegion.all.map(\.name)).map { "did you mean '\($0)'? " } ?? ""
            error("location", "unknown region '\(spec.location)'",
                  fix: "\(suggestion)use an Azure public region name such as 'westeurope' or 'eastus2'")
        }
        if let suffix = spec.suffix, !matches(suffix, "^[a-z0-9]{1,6}$") {
            error("suffix", "suffix '\(suffix)' must be 1–6 lower-case letters or digits", fix: "e.g. suffix: \"1234\"")
        }
        if !matches(spec.subscriptionID, "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$") {
            error("subscriptionId", "subscriptionId '\(spec.subscriptionID)' is not a GUID", fix: "use the subscription's ID (az account show --query id)")
        }
        if let group = spec.resourceGroup, !matches(group, "^[-\\w\\._\\(\\)]{1,90}$") || group.hasSuffix(".") {
            error("resourceGroup", "resource group name '\(group)' is not valid",
                  fix: "1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'")
        }
        validateCompute()
        validateNetwork()
        validateServices()
        validateLandingZone()
    }

    /// The private DNS zones the workspace's private endpoints register in (as `addPrivateEndpoints` builds them).
    static func requiredZoneNames(_ spec: Spec) -> [String] {
        var zones = PrivateLinkCatalog.workspaceZones + Set(spec.storage.services + [.blob, .file]).map(\.privateDnsZone)
            + [PrivateLinkCatalog.keyVaultZone, PrivateLinkCatalog.registryZone]
        if spec.monitoring.privateLinkScope { zones += PrivateLinkCatalog.monitorZones }
        if spec.services.openAI { zones.append(PrivateLinkCatalog.openAIZone) }
        return Array(Set(zones)).sorted()
    }

    /// Whether `text` is a resource ID of `type` (`Microsoft.Network/virtualNetworks`) in a resource group.
    static func isResourceID(_ text: String, type: String) -> Bool {
        let segments = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let typeParts = type.split(separator: "/").map(String.init)
        guard text.hasPrefix("/"), segments.count == 9, segments[1].lowercased() == "subscriptions",
              segments[2].range(of: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", options: .regularExpression) != nil,
              segments[3].lowercased() == "resourcegroups", !segments[4].isEmpty, segments[5].lowercased() == "providers",
              segments[6].lowercased() == typeParts[0].lowercased(), segments[7].lowercased() == typeParts[1].lowercased(),
              !segments[8].isEmpty, !segments[8].contains(" ") else { return false }
        return true
    }

    private mutating func resourceID(_ path: String, _ text: String, type: String, example: String) {
        if !Self.isResourceID(text, type: type) {
            error(path, "'\(text)' is not a \(type) resource ID",
                  fix: "give the full ID: /subscriptions/<subscription GUID>/resourceGroups/<group>/providers/\(type)/\(example)")
        }
    }

    /// An existing landing zone: resource ID syntax, exactly one hub, the firewall inside the hub, the spoke's
    /// space inside the allotted space and clear of the platform's, every zone the endpoints need declared, and
    /// nothing the platform provides deployed again.
    private mutating func validateLandingZone() {
        guard let zone = spec.landingZone else { return }
        let allotted = zone.addressSpace
        var platformSpace: [(String, IPv4Prefix)] = []
        switch (zone.hub, zone.virtualHub) {
        case (nil, nil):
            error("landingZone", "the landing zone names no hub", fix: "add landingZone.hub (a hub VNet) or landingZone.virtualHub (a Virtual WAN hub)")
        case (.some, .some):
            error("landingZone.virtualHub", "the landing zone names both a hub VNet and a Virtual WAN hub",
                  fix: "keep landingZone.hub for hub-and-spoke or landingZone.virtualHub for Virtual WAN")
        case (let hub?, nil):
            resourceID("landingZone.hub.virtualNetworkId", hub.virtualNetworkId, type: "Microsoft.Network/virtualNetworks", example: "vnet-hub")
            if hub.addressSpace.isEmpty {
                error("landingZone.hub.addressSpace", "the hub's address space is empty", fix: "list the hub VNet's prefixes, e.g. [10.0.0.0/22]")
            }
            for (index, prefix) in hub.addressSpace.enumerated() { platformSpace.append(("landingZone.hub.addressSpace[\(index)]", prefix)) }
            if !hub.addressSpace.contains(where: { $0.contains(zone.firewall.privateIp) }) {
                error("landingZone.firewall.privateIp", "the firewall's address \(zone.firewall.privateIp) is not inside the hub's address space \(hub.addressSpace.map(\.description).joined(separator: ", "))",
                      fix: "give the central firewall's private IP (az network firewall show --query ipConfigurations[0].privateIPAddress) or the hub's full address space")
            }
        case (nil, let hub?):
            resourceID("landingZone.virtualHub.id", hub.id, type: "Microsoft.Network/virtualHubs", example: "vhub-weu")
            platformSpace.append(("landingZone.virtualHub.addressPrefix", hub.addressPrefix))
            if !hub.addressPrefix.contains(zone.firewall.privateIp) {
                error("landingZone.firewall.privateIp", "the firewall's address \(zone.firewall.privateIp) is not inside the virtual hub's prefix \(hub.addressPrefix)",
                      fix: "give the secured hub firewall's private IP (az network firewall show --query hubIPAddresses.privateIPAddress)")
            }
            if zone.dns.resolverVirtualNetwork == nil {
                error("landingZone.dns.resolverVirtualNetwork", "with Virtual WAN the DNS resolver sits in a VNet connected to the hub, which is not named",
                      fix: "add landingZone.dns.resolverVirtualNetwork: {id: <VNet resource ID>, addressSpace: [...]}")
            }
        }
        resourceID("landingZone.firewall.id", zone.firewall.id, type: "Microsoft.Network/azureFirewalls", example: "afw-hub")
        resourceID("landingZone.firewall.policyId", zone.firewall.policyId, type: "Microsoft.Network/firewallPolicies", example: "afwp-hub")
        if !(100...65000).contains(zone.firewall.ruleCollectionGroupPriority) {
            // https://learn.microsoft.com/azure/firewall/rule-processing#rule-processing-using-firewall-policy
            error("landingZone.firewall.ruleCollectionGroupPriority", "priority \(zone.firewall.ruleCollectionGroupPriority) is out of range",
                  fix: "use 100…65000, a priority the platform team reserves for this workspace")
        }
        var resolverSpace = zone.hub?.addressSpace ?? []
        if let network = zone.dns.resolverVirtualNetwork {
            resourceID("landingZone.dns.resolverVirtualNetwork.id", network.id, type: "Microsoft.Network/virtualNetworks", example: "vnet-dns")
            resolverSpace = network.addressSpace
            for (index, prefix) in network.addressSpace.enumerated() {
                platformSpace.append(("landingZone.dns.resolverVirtualNetwork.addressSpace[\(index)]", prefix))
            }
        }
        if !resolverSpace.isEmpty, !resolverSpace.contains(where: { $0.contains(zone.dns.resolverInboundIp) }) {
            error("landingZone.dns.resolverInboundIp", "the resolver's inbound address \(zone.dns.resolverInboundIp) is not inside \(resolverSpace.map(\.description).joined(separator: ", "))",
                  fix: "give the inbound endpoint's address (az dns-resolver inbound-endpoint list) and the VNet that holds it")
        }
        for (path, prefix) in platformSpace where prefix.overlaps(allotted) {
            error("landingZone.addressSpace", "the spoke's address space \(allotted) overlaps \(prefix) (\(path))",
                  fix: "use the address space the platform team allotted to this workload; peered and connected VNets cannot overlap")
        }
        if !allotted.contains(spec.network.addressSpace) {
            error("network.addressSpace", "the VNet's address space \(spec.network.addressSpace) is outside the allotted \(allotted)",
                  fix: "leave network.addressSpace out (the allotted space is used) or give a prefix inside \(allotted)")
        }
        var declared: Set<String> = []
        for (index, id) in zone.dns.privateDnsZones.enumerated() {
            resourceID("landingZone.dns.privateDnsZones[\(index)]", id, type: "Microsoft.Network/privateDnsZones", example: "privatelink.api.azureml.ms")
            declared.insert(ResourceID(id).name.lowercased())
        }
        let missing = Self.requiredZoneNames(spec).filter { !declared.contains($0) }
        if !missing.isEmpty {
            error("landingZone.dns.privateDnsZones", "the platform zones lack \(missing.joined(separator: ", ")), which the workspace's private endpoints register in",
                  fix: "add the platform's zone IDs for them (the platform team creates missing privatelink zones: https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/private-link-and-dns-integration-at-scale)")
        }
        if spec.firewall.enabled == true {
            error("firewall.enabled", "a landing zone spoke uses the central firewall, not its own", fix: "remove firewall.enabled; the generated rule collection group goes to the platform team")
        }
        if spec.access.bastion.enabled == true {
            error("access.bastion.enabled", "a landing zone spoke uses the platform's Bastion in the hub", fix: "remove access.bastion.enabled")
        }
        if spec.access.vpn.enabled {
            error("access.vpn.enabled", "a landing zone spoke reaches on-premises through the platform's gateway", fix: "remove access.vpn; set landingZone.hub.gateway: true when the hub has a gateway")
        }
        if !spec.network.dnsServers.isEmpty {
            error("network.dnsServers", "a landing zone spoke resolves through the platform's DNS Private Resolver", fix: "remove network.dnsServers; landingZone.dns.resolverInboundIp becomes the VNet's DNS server")
        }
        if let spoke = zone.spoke { validateExistingSpoke(spoke, allotted: allotted, platformSpace: platformSpace) }
    }

    /// An existing spoke VNet: in the spec's subscription and resource group, its address space holding the
    /// allotted space and clear of the platform's, each reused subnet inside it, clear of the others and of the
    /// occupied prefixes, and used by the design. Sizes, Azure's smallest subnet and overlaps between subnets are
    /// the address planner's (it places every reused subnet as a fixed prefix).
    private mutating func validateExistingSpoke(_ spoke: ExistingSpokeSpec, allotted: IPv4Prefix, platformSpace: [(String, IPv4Prefix)]) {
        let base = "landingZone.spoke"
        resourceID("\(base).virtualNetworkId", spoke.virtualNetworkId, type: "Microsoft.Network/virtualNetworks", example: "vnet-spoke")
        let vnet = ResourceID(spoke.virtualNetworkId)
        let group = spec.resourceGroup ?? "rg-\(spec.name)"
        if Self.isResourceID(spoke.virtualNetworkId, type: "Microsoft.Network/virtualNetworks"),
           vnet.subscriptionID?.lowercased() != spec.subscriptionID.lowercased() || vnet.resourceGroupName?.lowercased() != group.lowercased() {
            error("\(base).virtualNetworkId", "the spoke VNet is in subscription \(vnet.subscriptionID ?? "?") and resource group \(vnet.resourceGroupName ?? "?"), "
                  + "but the spec deploys into subscription \(spec.subscriptionID) and resource group \(group)",
                  fix: "leave subscriptionId and resourceGroup out (they default to the spoke VNet's) or set them to the VNet's: "
                  + "the new subnets, the peering and the NSG and route table links are deployed beside the VNet")
        }
        let space = spoke.addressSpace ?? [allotted]
        if space.isEmpty {
            error("\(base).addressSpace", "the spoke VNet's address space is empty", fix: "list the VNet's prefixes, e.g. [\(allotted)]")
        } else if !space.contains(where: { $0.contains(allotted) }) {
            error("landingZone.addressSpace", "the allotted space \(allotted), where new subnets go, is outside the spoke VNet's address space \(space.map(\.description).joined(separator: ", "))",
                  fix: "give as landingZone.addressSpace the part of the existing VNet's address space the design may place new subnets in")
        }
        for (index, prefix) in space.enumerated() {
            for (path, platform) in platformSpace where platform.overlaps(prefix) {
                error("\(base).addressSpace[\(index)]", "the spoke VNet's address space \(prefix) overlaps \(platform) (\(path))",
                      fix: "give the existing VNet's address space as it is (az network vnet show --query addressSpace); peered and connected VNets cannot overlap")
            }
        }
        // A VNet holds at most 3,000 subnets (https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#azure-networking-limits).
        if spoke.occupied.count > 3000 {
            error("\(base).occupied", "\(spoke.occupied.count) occupied prefixes are more than the 3,000 subnets a VNet can hold",
                  fix: "list only the prefixes of the VNet's other subnets")
        }
        for (index, prefix) in spoke.occupied.enumerated() where !space.contains(where: { $0.contains(prefix) }) {
            error("\(base).occupied[\(index)]", "occupied prefix \(prefix) is outside the spoke VNet's address space \(space.map(\.description).joined(separator: ", "))",
                  fix: "list only prefixes of the VNet's other subnets (az network vnet subnet list --query [].addressPrefix)")
        }
        if spec.network.subnets != nil {
            error("network.subnets", "with an existing spoke VNet the design lays out the new subnets itself",
                  fix: "remove network.subnets; list existing subnets to reuse under landingZone.spoke.subnets")
        }
        var names: [String: String] = [:]
        for (use, key, subnet) in spoke.subnets.all {
            let path = "\(base).subnets.\(key)"
            if !matches(subnet.name, "^[a-zA-Z0-9][a-zA-Z0-9._-]{0,78}[a-zA-Z0-9_]$|^[a-zA-Z0-9]$") {
                error("\(path).name", "'\(subnet.name)' is not a subnet name",
                      fix: "give the existing subnet's name (az network vnet subnet list --query [].name)")
            } else if SpecialSubnet.allCases.contains(where: { $0.rawValue.lowercased() == subnet.name.lowercased() }) {
                error("\(path).name", "\(subnet.name) is reserved for an Azure service and cannot host the workspace's \(key)",
                      fix: "name a subnet of the spoke VNet that the workload owns")
            } else if let other = names[subnet.name.lowercased()] {
                error("\(path).name", "subnet \(subnet.name) is reused for both \(other) and \(key)",
                      fix: "give each role its own subnet; the design creates the ones not listed")
            }
            names[subnet.name.lowercased()] = key
            if !space.contains(where: { $0.contains(subnet.prefix) }) {
                error("\(path).prefix", "subnet \(subnet.name) (\(subnet.prefix)) is outside the spoke VNet's address space \(space.map(\.description).joined(separator: ", "))",
                      fix: "give the subnet's prefix as it exists (az network vnet subnet show --query addressPrefix)")
            }
            for (index, occupied) in spoke.occupied.enumerated() where occupied.overlaps(subnet.prefix) {
                error("\(path).prefix", "subnet \(subnet.name) (\(subnet.prefix)) overlaps occupied prefix \(occupied) (\(base).occupied[\(index)])",
                      fix: "a reused subnet is not occupied by another one; remove it from \(base).occupied")
            }
            switch use {
            case .compute where spec.usesManagedNetwork:
                error(path, "compute runs in the workspace's managed network, so no subnet hosts it",
                      fix: "remove \(path), or set workspace.managedNetwork.isolationMode: Disabled")
            case .jumpbox where !spec.access.jumpbox.enabled:
                error(path, "the design has no jumpbox", fix: "remove \(path), or enable access.jumpbox")
            default: break
            }
        }
    }

    private mutating func validateCompute() {
        if let cluster = spec.compute.cluster {
            if !matches(cluster.name, "^[a-zA-Z][a-zA-Z0-9-]{1,15}$") {
                error("compute.cluster.name", "cluster name '\(cluster.name)' must be 2–16 letters, digits or hyphens starting with a letter",
                      fix: "e.g. cpu-cluster")
            }
            if cluster.maxNodes < 1 || cluster.maxNodes > 1000 {
                error("compute.cluster.maxNodes", "maxNodes \(cluster.maxNodes) is out of range", fix: "use 1…1000")
            }
            if cluster.minNodes < 0 || cluster.minNodes > cluster.maxNodes {
                error("compute.cluster.minNodes", "minNodes \(cluster.minNodes) must be between 0 and maxNodes (\(cluster.maxNodes))",
                      fix: "lower minNodes")
            }
        } else if spec.compute.imageBuild {
            error("compute.imageBuild", "imageBuild needs a compute cluster, but compute.cluster is null",
                  fix: "define compute.cluster or set imageBuild: false (then a private registry cannot build images: ImageBuildComputeNotValid)")
        }
        if let instance = spec.compute.instance, !matches(instance.name, "^[a-zA-Z][a-zA-Z0-9-]{2,23}$") {
            error("compute.instance.name", "instance name '\(instance.name)' must be 3–24 letters, digits or hyphens starting with a letter",
                  fix: "e.g. ci-alice")
        }
    }

    private mutating func validateNetwork() {
        let space = spec.network.addressSpace
        if spec.access.vpn.enabled, let data = spec.access.vpn.rootCertificateData, !VpnRootCertificate.isCertificateData(data) {
            error("access.vpn.rootCertificateData",
                  "VPN root certificate data is not a base64 DER certificate; the gateway would reject it",
                  fix: "give the root certificate's public data: base64 of its DER encoding without the PEM header lines (`palisade vpn-certs --output DIR` writes it), or leave it out to supply it at deployment")
        }
        if spec.access.vpn.enabled, spec.access.vpn.clientAddressPool.overlaps(space) {
            error("access.vpn.clientAddressPool",
                  "VPN client pool '\(spec.access.vpn.clientAddressPool)' overlaps the address space '\(space)'",
                  fix: "choose a pool outside the VNet, e.g. 172.16.201.0/24")
        }
        guard let subnets = spec.network.subnets else { return }
        var seen: [String: Int] = [:]
        for (index, subnet) in subnets.enumerated() {
            let path = "network.subnets[\(index)]"
            if let previous = seen[subnet.name.lowercased()] {
                error("\(path).name", "subnet name '\(subnet.name)' is used twice (also network.subnets[\(previous)])", fix: "rename one")
            }
            seen[subnet.name.lowercased()] = index
            if !matches(subnet.name, "^[a-zA-Z0-9][-\\w\\.]{0,78}[\\w]$|^[a-zA-Z0-9]$") {
                error("\(path).name", "subnet name '\(subnet.name)' is not valid", fix: "1–80 letters, digits, '-', '_' or '.'")
            }
            if let special = SpecialSubnet.allCases.first(where: { $0.rawValue.lowercased() == subnet.name.lowercased() }),
               special.rawValue != subnet.name {
                error("\(path).name", "'\(subnet.name)' must be spelled exactly '\(special.rawValue)'", fix: "rename it '\(special.rawValue)'")
            }
            if SpecialSubnet.named(subnet.name) != nil, !subnet.uses.isEmpty {
                error("\(path).uses", "\(subnet.name) is dedicated to its service and cannot host \(subnet.uses.map(\.rawValue))",
                      fix: "remove uses from \(subnet.name) and put them on another subnet")
            }
            let ways = [subnet.prefix != nil, subnet.newbits != nil, subnet.size != nil].filter { $0 }.count
            if ways > 1 {
                error(path, "subnet '\(subnet.name)' gives more than one of prefix, newbits and size", fix: "keep exactly one")
            }
            if let bits = subnet.newbits, bits < 0 || space.length + bits > 29 {
                error("\(path).newbits", "newbits \(bits) gives a /\(space.length + bits) subnet",
                      fix: "use 0…\(29 - space.length) so the subnet is /29 or larger")
            }
            if let size = subnet.size, size < space.length || size > 29 {
                error("\(path).size", "size /\(size) is not allowed", fix: "use a prefix length between /\(space.length) and /29")
            }
        }
        let named: [(String, Bool, String)] = [
            (SpecialSubnet.firewall.rawValue, spec.firewallEnabled, "the firewall"),
            (SpecialSubnet.bastion.rawValue, spec.bastionEnabled, "Bastion"),
            (SpecialSubnet.gateway.rawValue, spec.access.vpn.enabled, "the VPN gateway"),
        ]
        for (name, needed, reason) in named where needed && !subnets.contains(where: { $0.name == name }) {
            error("network.subnets", "no subnet named \(name), which \(reason) needs", fix: "add a subnet named \(name)")
        }
        let uses: [(SubnetUse, Bool)] = [
            (.compute, !spec.usesManagedNetwork && (spec.compute.cluster != nil || spec.compute.instance != nil)),
            (.privateEndpoints, true),
            (.jumpbox, spec.access.jumpbox.enabled),
        ]
        for (use, needed) in uses where needed && !subnets.contains(where: { $0.uses.contains(use) }) {
            error("network.subnets", "no subnet hosts \(use.rawValue)", fix: "add uses: [\(use.rawValue)] to a subnet")
        }
    }

    private mutating func validateServices() {
        if !["Standard", "Premium"].contains(spec.firewall.sku) {
            error("firewall.sku", "firewall sku '\(spec.firewall.sku)' is not allowed",
                  fix: "use Standard or Premium (Basic has no DNS proxy, which FQDN network rules need)")
        }
        if !["Basic", "Standard", "Premium"].contains(spec.access.bastion.sku) {
            error("access.bastion.sku", "bastion sku '\(spec.access.bastion.sku)' is not allowed", fix: "use Basic, Standard or Premium")
        }
        if spec.registry.sku != "Premium" {
            error("registry.sku", "registry sku '\(spec.registry.sku)' cannot disable public network access",
                  fix: "use Premium (Basic and Standard cannot disable public network access: DisablingPublicNetworkAccessNotSupported)")
        }
        if !["PrivateOnly", "Open"].contains(spec.monitoring.accessMode) {
            error("monitoring.accessMode", "access mode '\(spec.monitoring.accessMode)' is not allowed", fix: "use PrivateOnly or Open")
        }
        if let region = AzureRegion.named(spec.location), !region.hasAvailabilityZones {
            // https://learn.microsoft.com/azure/reliability/regions-list lists the regions with availability zones.
            if let sku = spec.storage.sku, AzureRegion.storageSkuNeedsZones(sku) {
                error("storage.sku", "storage sku '\(sku)' needs availability zones, which \(region.name) does not have",
                      fix: "use Standard_LRS or Standard_GRS, or a region with availability zones")
            }
            if spec.access.vpn.enabled, let sku = spec.access.vpn.sku, AzureRegion.gatewaySkuNeedsZones(sku) {
                error("access.vpn.sku", "gateway sku '\(sku)' is zone-redundant, but \(region.name) has no availability zones",
                      fix: "use \(sku.dropLast(2)) in this region")
            }
        }
        for (index, entry) in spec.packageSources.entries.enumerated() {
            let known = AMLRequirements.packageRepositoryFqdns[entry.lowercased()] != nil
            if !known && !matches(entry, "^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$") {
                error("packageSources[\(index)]", "package source '\(entry)' is neither a known repository nor a host name",
                      fix: "use one of \(AMLRequirements.packageRepositoryFqdns.keys.sorted().joined(separator: ", ")), a host name such as pypi.mycompany.example, or packageSources: none")
            }
        }
        if !["windows", "linux"].contains(spec.access.jumpbox.os) {
            error("access.jumpbox.os", "jumpbox os '\(spec.access.jumpbox.os)' is not allowed", fix: "use windows or linux")
        }
        if !["identity", "accesskey", "userdelegationsas"].contains(spec.workspace.systemDatastoresAuthMode.lowercased()) {
            error("workspace.systemDatastoresAuthMode", "auth mode '\(spec.workspace.systemDatastoresAuthMode)' is not allowed",
                  fix: "use identity, accessKey or userDelegationSAS")
        }
        if spec.workspace.publicNetworkAccess {
            warning("workspace.publicNetworkAccess", "the workspace accepts traffic from the internet",
                    fix: "set publicNetworkAccess: false and reach it through the private endpoint")
        }
        let managed = spec.workspace.managedNetwork
        if managed.isolationMode == .allowOnlyApprovedOutbound,
           !spec.packageSources.hosts.isEmpty || managed.outboundRules.contains(where: { $0.type == .fqdn }) {
            // https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#pricing
            note("workspace.managedNetwork.firewallSku",
                 "the managed network's FQDN outbound rules (one per package source host) run on an Azure Firewall that Azure Machine Learning provisions (\(managed.firewallSku) SKU); it is billed as an Azure Firewall, for Standard about US$1.25 per deployment hour plus data processed at US list prices",
                 fix: "see https://azure.microsoft.com/pricing/details/azure-firewall/; with packageSources: none and no FQDN rule, no firewall is created")
        }
        for (index, rule) in managed.outboundRules.enumerated() {
            let path = "workspace.managedNetwork.outboundRules[\(index)]"
            if managed.isolationMode == .disabled {
                error(path, "outbound rule '\(rule.name)' needs a managed network", fix: "set isolationMode to AllowOnlyApprovedOutbound")
            } else if managed.isolationMode == .allowInternetOutbound, rule.type != .privateEndpoint {
                error("\(path).type", "Only \"PrivateEndpoint\" outbound rules are supported when managed network isolation mode is \"AllowInternetOutbound\".",
                      fix: "use AllowOnlyApprovedOutbound or drop the \(rule.type.rawValue) rule (AllowInternetOutbound takes only private endpoint rules)")
            }
            switch rule.type {
            case .fqdn:
                if rule.destination == nil { error(path, "FQDN rule '\(rule.name)' has no destination", fix: "add destination: pypi.org") }
            case .privateEndpoint:
                guard let target = rule.target else {
                    error(path, "PrivateEndpoint rule '\(rule.name)' has no target", fix: "add target: openai (or storage, keyVault, registry, a resource ID)")
                    continue
                }
                if target == "openai", !spec.services.openAI {
                    error("\(path).target", "rule '\(rule.name)' targets openai but services.openAI is false", fix: "set services.openAI: true")
                } else if !["openai", "storage", "keyVault", "registry"].contains(target), !target.hasPrefix("/subscriptions/") {
                    error("\(path).target", "unknown target '\(target)'", fix: "use openai, storage, keyVault, registry or a full resource ID")
                }
            case .serviceTag:
                if rule.serviceTag == nil { error(path, "ServiceTag rule '\(rule.name)' has no serviceTag", fix: "add serviceTag: AppService") }
            }
        }
    }

    private func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }
}
