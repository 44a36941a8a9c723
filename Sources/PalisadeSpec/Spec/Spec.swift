import PalisadeModel

/// A Palisade environment spec (version 1). Every key is optional: the spec says only what differs from the
/// secure defaults in `Spec+Default.swift` (documented in docs/defaults.md).
public struct Spec: Sendable, Hashable, Decodable {
    /// The highest spec version this build understands.
    public static let highestSupportedVersion = 1

    /// Spec format version.
    public var version: Int
    /// Environment name: 1–16 lower-case letters and digits, starting with a letter.
    public var name: String
    /// Azure region (lower-case programmatic name, e.g. `westeurope`).
    public var location: String
    /// Suffix for globally unique names; derived deterministically from the spec when absent.
    public var suffix: String?
    /// Subscription the IDs are built in.
    public var subscriptionID: String
    /// Resource group name; `rg-<name>` when absent.
    public var resourceGroup: String?
    /// Tags applied to every resource.
    public var tags: [String: String]
    /// Virtual network layout.
    public var network: NetworkSpec
    /// The AML workspace.
    public var workspace: WorkspaceSpec
    /// Compute cluster and instance.
    public var compute: ComputeSpec
    /// Default storage account.
    public var storage: StorageSpec
    /// Key vault.
    public var keyVault: KeyVaultSpec
    /// Container registry.
    public var registry: RegistrySpec
    /// Application Insights, Log Analytics, AMPLS and diagnostics.
    public var monitoring: MonitoringSpec
    /// Azure Firewall and its policy.
    public var firewall: FirewallSpec
    /// Bastion, jumpbox and VPN.
    public var access: AccessSpec
    /// Extra PaaS services the workspace connects to.
    public var services: ServicesSpec
    /// Findings this environment accepts on purpose, each with a reason.
    public var waivers: [WaiverSpec]
    /// Where compute installs packages from: repository names (`pypi`, `conda`, `cran`, …) or host names of a
    /// private mirror; `none` for air-gapped teams. Default: PyPI and conda.
    public var packageSources: PackageSources
    /// Declared intents, proved by `check` beside the built-in ones.
    public var intents: [IntentSpec]
    /// An existing landing zone this environment joins as a spoke (docs/landing-zones.md); nil for a standalone VNet.
    public var landingZone: LandingZoneSpec?

    enum CodingKeys: String, SpecKeys {
        case version, name, location, suffix, subscriptionId, resourceGroup, tags, network, workspace, compute, storage
        case keyVault, registry, monitoring, firewall, access, services, waivers, packageSources, intents, landingZone
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        version = try c.value(.version, or: Spec.highestSupportedVersion)
        name = try c.value(.name, or: Defaults.name)
        location = try c.value(.location, or: Defaults.location)
        suffix = try c.decodeIfPresent(String.self, forKey: .suffix)
        subscriptionID = try c.value(.subscriptionId, or: Defaults.subscriptionID)
        resourceGroup = try c.decodeIfPresent(String.self, forKey: .resourceGroup)
        tags = try c.value(.tags, or: [:])
        network = try c.value(.network, or: NetworkSpec())
        workspace = try c.value(.workspace, or: WorkspaceSpec())
        compute = try c.value(.compute, or: ComputeSpec())
        storage = try c.value(.storage, or: StorageSpec())
        keyVault = try c.value(.keyVault, or: KeyVaultSpec())
        registry = try c.value(.registry, or: RegistrySpec())
        monitoring = try c.value(.monitoring, or: MonitoringSpec())
        firewall = try c.value(.firewall, or: FirewallSpec())
        access = try c.value(.access, or: AccessSpec())
        services = try c.value(.services, or: ServicesSpec())
        waivers = try c.value(.waivers, or: [])
        packageSources = try c.value(.packageSources, or: PackageSources())
        intents = try c.value(.intents, or: [])
        landingZone = try c.decodeIfPresent(LandingZoneSpec.self, forKey: .landingZone)
        // In a landing zone the spoke's address space is the one the platform allotted, unless written out.
        if let landingZone {
            // An existing spoke VNet fixes the subscription and the resource group the spoke deploys into.
            if let spoke = landingZone.spoke {
                let vnet = ResourceID(spoke.virtualNetworkId)
                if !c.contains(.subscriptionId), let subscription = vnet.subscriptionID { subscriptionID = subscription }
                if !c.contains(.resourceGroup), let group = vnet.resourceGroupName { resourceGroup = group }
            }
            let written = c.contains(.network)
                && (try? c.nestedContainer(keyedBy: AnyKey.self, forKey: .network).contains(AnyKey(stringValue: "addressSpace"))) == true
            if !written { network.addressSpace = landingZone.addressSpace }
        }
    }

    /// The built-in default: privateAML's inputs plus what the seeds require.
    public init() {
        version = Spec.highestSupportedVersion
        name = Defaults.name
        location = Defaults.location
        subscriptionID = Defaults.subscriptionID
        tags = [:]
        network = NetworkSpec()
        workspace = WorkspaceSpec()
        compute = ComputeSpec()
        storage = StorageSpec()
        keyVault = KeyVaultSpec()
        registry = RegistrySpec()
        monitoring = MonitoringSpec()
        firewall = FirewallSpec()
        access = AccessSpec()
        services = ServicesSpec()
        waivers = []
        packageSources = PackageSources()
        intents = []
        landingZone = nil
    }

    /// Whether compute lives in the workspace's managed VNet rather than in our subnets.
    public var usesManagedNetwork: Bool { workspace.managedNetwork.isolationMode != .disabled }
}

/// The virtual network: address space and (optionally) an explicit subnet layout.
public struct NetworkSpec: Sendable, Hashable, Decodable {
    /// The VNet address space.
    public var addressSpace: IPv4Prefix = Defaults.addressSpace
    /// Custom DNS servers (empty: Azure DNS).
    public var dnsServers: [IPv4Address] = []
    /// Explicit subnets; when absent the planner lays out the subnets the design needs.
    public var subnets: [SubnetSpec]?

    enum CodingKeys: String, SpecKeys { case addressSpace, dnsServers, subnets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        addressSpace = try c.value(.addressSpace, or: Defaults.addressSpace)
        dnsServers = try c.value(.dnsServers, or: [])
        subnets = try c.decodeIfPresent([SubnetSpec].self, forKey: .subnets)
    }

    /// Defaults.
    public init() {}
}

/// What a subnet hosts; special subnets (`AzureFirewallSubnet`, `AzureBastionSubnet`, `GatewaySubnet`) are
/// recognised by their exact names instead.
public enum SubnetUse: String, Sendable, Hashable, Codable, CaseIterable {
    /// AML compute clusters and instances.
    case compute
    /// Private endpoints.
    case privateEndpoints
    /// The jumpbox VM.
    case jumpbox
    /// Inference (AKS / scoring).
    case scoring
    /// Address space held back, not deployed (privateAML's unused first block).
    case reserved
}

/// One subnet of an explicit layout: give `prefix`, or `newbits` (Terraform `cidrsubnets` order), or `size`.
public struct SubnetSpec: Sendable, Hashable, Decodable {
    /// Subnet name.
    public var name: String
    /// An explicit prefix.
    public var prefix: IPv4Prefix?
    /// Bits added to the VNet prefix length, allocated consecutively like Terraform's `cidrsubnets`.
    public var newbits: Int?
    /// A prefix length the planner places (best fit).
    public var size: Int?
    /// What the subnet hosts.
    public var uses: [SubnetUse]

    enum CodingKeys: String, SpecKeys { case name, prefix, newbits, size, uses }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        prefix = try c.decodeIfPresent(IPv4Prefix.self, forKey: .prefix)
        newbits = try c.decodeIfPresent(Int.self, forKey: .newbits)
        size = try c.decodeIfPresent(Int.self, forKey: .size)
        uses = try c.value(.uses, or: [])
    }

    /// Creates a subnet spec.
    public init(name: String, prefix: IPv4Prefix? = nil, newbits: Int? = nil, size: Int? = nil, uses: [SubnetUse] = []) {
        self.name = name
        self.prefix = prefix
        self.newbits = newbits
        self.size = size
        self.uses = uses
    }
}

/// Workspace settings.
public struct WorkspaceSpec: Sendable, Hashable, Decodable {
    /// Public network access to the workspace.
    public var publicNetworkAccess = false
    /// `hbiWorkspace`.
    public var highBusinessImpact = true
    /// `systemDatastoresAuthMode`.
    public var systemDatastoresAuthMode = "identity"
    /// Managed network settings.
    public var managedNetwork = ManagedNetworkSpec()

    enum CodingKeys: String, SpecKeys { case publicNetworkAccess, highBusinessImpact, systemDatastoresAuthMode, managedNetwork }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        publicNetworkAccess = try c.value(.publicNetworkAccess, or: false)
        highBusinessImpact = try c.value(.highBusinessImpact, or: true)
        systemDatastoresAuthMode = try c.value(.systemDatastoresAuthMode, or: "identity")
        managedNetwork = try c.value(.managedNetwork, or: ManagedNetworkSpec())
    }

    /// Defaults.
    public init() {}
}

/// The workspace's managed VNet.
public struct ManagedNetworkSpec: Sendable, Hashable, Decodable {
    /// Isolation mode; `Disabled` keeps compute in our own subnets behind our firewall.
    public var isolationMode: ManagedNetworkSettings.IsolationMode = .disabled
    /// Managed firewall SKU for FQDN rules.
    public var firewallSku = "Standard"
    /// User-defined outbound rules.
    public var outboundRules: [OutboundRuleSpec] = []

    enum CodingKeys: String, SpecKeys { case isolationMode, firewallSku, outboundRules }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        isolationMode = try c.value(.isolationMode, or: .disabled)
        firewallSku = try c.value(.firewallSku, or: "Standard")
        outboundRules = try c.value(.outboundRules, or: [])
    }

    /// Defaults.
    public init() {}
}

/// A managed-network outbound rule.
public struct OutboundRuleSpec: Sendable, Hashable, Decodable {
    /// Rule name.
    public var name: String
    /// Rule type.
    public var type: ManagedOutboundRule.Kind
    /// FQDN destination (FQDN rules).
    public var destination: String?
    /// Target (PrivateEndpoint rules): `openai`, `storage`, `keyVault`, `registry`, or a resource ID.
    public var target: String?
    /// Sub-resource (PrivateEndpoint rules).
    public var subresource: String?
    /// Service tag (ServiceTag rules).
    public var serviceTag: String?
    /// Protocol (ServiceTag rules).
    public var `protocol`: String?
    /// Ports (ServiceTag rules), e.g. `80,443`.
    public var ports: String?
    /// Serverless Spark may use the private endpoint (PrivateEndpoint rules).
    public var sparkEnabled: Bool

    enum CodingKeys: String, SpecKeys { case name, type, destination, target, subresource, serviceTag, `protocol`, ports, sparkEnabled }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(ManagedOutboundRule.Kind.self, forKey: .type)
        destination = try c.decodeIfPresent(String.self, forKey: .destination)
        target = try c.decodeIfPresent(String.self, forKey: .target)
        subresource = try c.decodeIfPresent(String.self, forKey: .subresource)
        serviceTag = try c.decodeIfPresent(String.self, forKey: .serviceTag)
        `protocol` = try c.decodeIfPresent(String.self, forKey: .protocol)
        ports = try c.decodeIfPresent(String.self, forKey: .ports)
        sparkEnabled = try c.value(.sparkEnabled, or: false)
    }
}

/// Compute settings.
public struct ComputeSpec: Sendable, Hashable, Decodable {
    /// Whether compute nodes get public IPs (default no).
    public var publicIP = false
    /// The compute cluster (also the image build compute).
    public var cluster: ClusterSpec? = ClusterSpec()
    /// A personal compute instance, when wanted.
    public var instance: InstanceSpec?
    /// Use the cluster as `imageBuildCompute`.
    public var imageBuild = true

    enum CodingKeys: String, SpecKeys { case publicIp, cluster, instance, imageBuild }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        publicIP = try c.value(.publicIp, or: false)
        cluster = c.contains(.cluster) ? try c.decodeIfPresent(ClusterSpec.self, forKey: .cluster) : ClusterSpec()
        instance = try c.decodeIfPresent(InstanceSpec.self, forKey: .instance)
        imageBuild = try c.value(.imageBuild, or: true)
    }

    /// Defaults.
    public init() {}
}

/// A compute cluster.
public struct ClusterSpec: Sendable, Hashable, Decodable {
    /// Cluster name (2–16 chars).
    public var name = "cpu-cluster"
    /// VM size.
    public var vmSize = "Standard_DS3_v2"
    /// Minimum nodes.
    public var minNodes = 0
    /// Maximum nodes (one IP each).
    public var maxNodes = 4

    enum CodingKeys: String, SpecKeys { case name, vmSize, minNodes, maxNodes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        name = try c.value(.name, or: "cpu-cluster")
        vmSize = try c.value(.vmSize, or: "Standard_DS3_v2")
        minNodes = try c.value(.minNodes, or: 0)
        maxNodes = try c.value(.maxNodes, or: 4)
    }

    /// Defaults.
    public init() {}
}

/// A personal compute instance.
public struct InstanceSpec: Sendable, Hashable, Decodable {
    /// Instance name (3–24 chars).
    public var name: String
    /// VM size.
    public var vmSize = "Standard_DS3_v2"
    /// Object ID of the user the instance is assigned to.
    public var assignedUser: String?

    enum CodingKeys: String, SpecKeys { case name, vmSize, assignedUser }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        vmSize = try c.value(.vmSize, or: "Standard_DS3_v2")
        assignedUser = try c.decodeIfPresent(String.self, forKey: .assignedUser)
    }
}

/// Storage settings.
public struct StorageSpec: Sendable, Hashable, Decodable {
    /// Sub-services that get private endpoints (blob and file always; queue/table/dfs when listed).
    public var services: [StorageService] = [.blob, .file]
    /// Shared key access.
    public var sharedKeyAccess = false
    /// SKU; by default `Standard_ZRS` where the region has availability zones, else `Standard_LRS`.
    public var sku: String?

    enum CodingKeys: String, SpecKeys { case services, sharedKeyAccess, sku }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        services = try c.value(.services, or: [.blob, .file])
        sharedKeyAccess = try c.value(.sharedKeyAccess, or: false)
        sku = try c.decodeIfPresent(String.self, forKey: .sku)
    }

    /// Defaults.
    public init() {}
}

/// Key vault settings.
public struct KeyVaultSpec: Sendable, Hashable, Decodable {
    /// RBAC authorisation.
    public var rbacAuthorization = true
    /// Purge protection.
    public var purgeProtection = true
    /// Soft-delete retention.
    public var softDeleteRetentionDays = 90

    enum CodingKeys: String, SpecKeys { case rbacAuthorization, purgeProtection, softDeleteRetentionDays }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        rbacAuthorization = try c.value(.rbacAuthorization, or: true)
        purgeProtection = try c.value(.purgeProtection, or: true)
        softDeleteRetentionDays = try c.value(.softDeleteRetentionDays, or: 90)
    }

    /// Defaults.
    public init() {}
}

/// Container registry settings.
public struct RegistrySpec: Sendable, Hashable, Decodable {
    /// SKU; Premium is required for private endpoints.
    public var sku = "Premium"
    /// Admin user.
    public var adminUser = false

    enum CodingKeys: String, SpecKeys { case sku, adminUser }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        sku = try c.value(.sku, or: "Premium")
        adminUser = try c.value(.adminUser, or: false)
    }

    /// Defaults.
    public init() {}
}

/// Monitoring settings.
public struct MonitoringSpec: Sendable, Hashable, Decodable {
    /// Put Application Insights and Log Analytics behind an Azure Monitor Private Link Scope.
    public var privateLinkScope = true
    /// AMPLS ingestion and query access mode; `Open`, as Azure Machine Learning requires
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#azure-monitor).
    public var accessMode = "Open"
    /// Diagnostic settings to Log Analytics on every resource that supports them.
    public var diagnostics = true
    /// Log Analytics retention.
    public var retentionDays = 30

    enum CodingKeys: String, SpecKeys { case privateLinkScope, accessMode, diagnostics, retentionDays }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        privateLinkScope = try c.value(.privateLinkScope, or: true)
        accessMode = try c.value(.accessMode, or: "Open")
        diagnostics = try c.value(.diagnostics, or: true)
        retentionDays = try c.value(.retentionDays, or: 30)
    }

    /// Defaults.
    public init() {}
}

/// Which allow-list the firewall policy carries.
public enum FirewallProfile: String, Sendable, Hashable, Codable, CaseIterable {
    /// The AML required rules for the chosen compute mode plus the
    /// package repositories asked for.
    case amlRequired = "aml-required"
    /// privateAML's own collections, verbatim.
    case privateAML = "privateaml"
}

/// Package repositories the firewall may allow.
public enum PackageRepository: String, Sendable, Hashable, Codable, CaseIterable {
    case pypi, conda, cran, pytorch, tensorflow, huggingface, docker, ubuntu
}

/// Firewall settings.
public struct FirewallSpec: Sendable, Hashable, Decodable {
    /// Deploy the firewall (default: yes unless the workspace uses a managed network).
    public var enabled: Bool?
    /// `Standard` or `Premium` (`Basic` lacks DNS proxy).
    public var sku = "Standard"
    /// DNS proxy, needed for FQDNs in network rules (docs/semantics.md#firewall-network-rules).
    public var dnsProxy = true
    /// Threat intelligence mode.
    public var threatIntelMode: ThreatIntelMode = .deny
    /// Rule profile.
    public var profile: FirewallProfile = .amlRequired
    /// Package repositories to allow.
    public var packageRepositories: [PackageRepository] = []
    /// Extra FQDNs to allow on HTTPS 443.
    public var allowFqdns: [String] = []

    enum CodingKeys: String, SpecKeys { case enabled, sku, dnsProxy, threatIntelMode, profile, packageRepositories, allowFqdns }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        sku = try c.value(.sku, or: "Standard")
        dnsProxy = try c.value(.dnsProxy, or: true)
        threatIntelMode = try c.value(.threatIntelMode, or: .deny)
        profile = try c.value(.profile, or: .amlRequired)
        packageRepositories = try c.value(.packageRepositories, or: [])
        allowFqdns = try c.value(.allowFqdns, or: [])
    }

    /// Defaults.
    public init() {}
}

/// How people get in.
public struct AccessSpec: Sendable, Hashable, Decodable {
    /// Azure Bastion.
    public var bastion = BastionSpec()
    /// Jumpbox VM.
    public var jumpbox = JumpboxSpec()
    /// Point-to-site VPN.
    public var vpn = VpnSpec()

    enum CodingKeys: String, SpecKeys { case bastion, jumpbox, vpn }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        bastion = try c.value(.bastion, or: BastionSpec())
        jumpbox = try c.value(.jumpbox, or: JumpboxSpec())
        vpn = try c.value(.vpn, or: VpnSpec())
    }

    /// Defaults.
    public init() {}
}

/// Bastion settings.
public struct BastionSpec: Sendable, Hashable, Decodable {
    /// Deploy Bastion; by default yes, except in a landing zone (the platform's hub has Bastion).
    public var enabled: Bool?
    /// SKU (`Basic`, `Standard`, `Premium`).
    public var sku = "Standard"

    enum CodingKeys: String, SpecKeys { case enabled, sku }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        sku = try c.value(.sku, or: "Standard")
    }

    /// Defaults.
    public init() {}
}

/// Jumpbox settings.
public struct JumpboxSpec: Sendable, Hashable, Decodable {
    /// Deploy the jumpbox.
    public var enabled = true
    /// VM size.
    public var size = "Standard_D2s_v3"
    /// `windows` or `linux`.
    public var os = "windows"
    /// Administrator user name.
    public var adminUsername = "azureadmin"

    enum CodingKeys: String, SpecKeys { case enabled, size, os, adminUsername }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        enabled = try c.value(.enabled, or: true)
        size = try c.value(.size, or: "Standard_D2s_v3")
        os = try c.value(.os, or: "windows")
        adminUsername = try c.value(.adminUsername, or: "azureadmin")
    }

    /// Defaults.
    public init() {}
}

/// Point-to-site VPN settings.
public struct VpnSpec: Sendable, Hashable, Decodable {
    /// Deploy a VPN gateway.
    public var enabled = false
    /// Client address pool (must not overlap the VNet).
    public var clientAddressPool: IPv4Prefix = Defaults.vpnClientAddressPool
    /// Gateway SKU; by default `VpnGw1AZ` where the region has availability zones, else `VpnGw1`.
    public var sku: String?
    /// Root certificate name.
    public var rootCertificateName = "P2SRootCert"
    /// Root certificate public data (base64 DER); generated by `palisade vpn-certs` when absent.
    public var rootCertificateData: String?

    enum CodingKeys: String, SpecKeys { case enabled, clientAddressPool, sku, rootCertificateName, rootCertificateData }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        enabled = try c.value(.enabled, or: false)
        clientAddressPool = try c.value(.clientAddressPool, or: Defaults.vpnClientAddressPool)
        sku = try c.decodeIfPresent(String.self, forKey: .sku)
        rootCertificateName = try c.value(.rootCertificateName, or: "P2SRootCert")
        rootCertificateData = try c.decodeIfPresent(String.self, forKey: .rootCertificateData)
    }

    /// Defaults.
    public init() {}
}

/// Extra PaaS services.
public struct ServicesSpec: Sendable, Hashable, Decodable {
    /// An Azure OpenAI account reached through a private endpoint.
    public var openAI = false
    /// A user-assigned identity for the workspace with the network connection approver role (docs/semantics.md#managed-network-limits).
    public var userAssignedIdentity = false

    enum CodingKeys: String, SpecKeys { case openAI, userAssignedIdentity }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        openAI = try c.value(.openAI, or: false)
        userAssignedIdentity = try c.value(.userAssignedIdentity, or: false)
    }

    /// Defaults.
    public init() {}
}

/// A waived finding: `{rule: <rule id>, resource: <name>, reason: "..."}`.
public struct WaiverSpec: Sendable, Hashable, Decodable {
    /// Rule ID.
    public var rule: String
    /// Resource name or ID; omit to waive the rule for every resource.
    public var resource: String?
    /// Why the finding is accepted.
    public var reason: String

    enum CodingKeys: String, SpecKeys { case rule, resource, reason }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.specContainer(CodingKeys.self)
        rule = try c.decode(String.self, forKey: .rule)
        resource = try c.decodeIfPresent(String.self, forKey: .resource)
        reason = try c.decode(String.self, forKey: .reason)
    }
}

/// Declared package sources: `default` (PyPI and conda), `none`, or a list of repository names and host names.
public struct PackageSources: Sendable, Hashable, Decodable {
    /// Repository names (`pypi`, `conda`, …) and host names, as written.
    public var entries: [String]

    /// The default: PyPI and conda.
    public init() { entries = AMLRequirements.defaultPackageSources }

    /// Explicit entries.
    public init(_ entries: [String]) { self.entries = entries }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let word = try? c.decode(String.self) {
            switch word.lowercased() {
            case "none": entries = []
            case "default": entries = AMLRequirements.defaultPackageSources
            default: entries = [word]
            }
            return
        }
        entries = try c.decode([String].self)
    }

    /// The host names the firewall or managed network must allow (443).
    public var hosts: [String] { AMLRequirements.packageHosts(entries) }
}
