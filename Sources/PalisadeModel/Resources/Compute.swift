import Foundation
/// A public IP address.
public struct PublicIPAddress: AzureResource {
    public static let resourceType = ResourceType.publicIPAddress
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `Basic` or `Standard`.
    public var sku = "Standard"
    /// `Static` or `Dynamic`.
    public var allocationMethod = "Static"
    /// The address if known (imports of deployed resources carry it).
    public var ipAddress: IPv4Address?
    /// Availability zones the address is pinned to or spread over (`zones`), when the input names them.
    public var zones: [String]?

    /// Creates a Standard static public IP.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .publicIPAddress(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .publicIPAddress(let value) = resource { return value }
        return nil
    }
}

/// An IP configuration of a NIC, gateway, firewall or Bastion host.
public struct IPConfiguration: Hashable, Sendable, Codable {
    /// Name of the configuration.
    public var name: String
    /// The subnet the configuration sits in.
    public var subnet: ResourceID?
    /// The private IP, if static or known.
    public var privateIPAddress: IPv4Address?
    /// `Static` or `Dynamic` private allocation.
    public var privateIPAllocationMethod = "Dynamic"
    /// An attached public IP.
    public var publicIPAddress: ResourceID?
    /// Whether this is the NIC's primary configuration.
    public var primary = true
    /// Application security groups the configuration belongs to (docs/semantics.md#application-security-groups).
    public var applicationSecurityGroups: [ResourceID] = []
    /// Load balancer backend pools the configuration is a member of (`…/loadBalancers/<lb>/backendAddressPools/<pool>`).
    public var loadBalancerBackendAddressPools: [ResourceID]?
    /// Load balancer inbound NAT rules that target the configuration (`…/loadBalancers/<lb>/inboundNatRules/<rule>`).
    public var loadBalancerInboundNatRules: [ResourceID]?

    /// Creates an IP configuration.
    public init(name: String, subnet: ResourceID?, privateIPAddress: IPv4Address? = nil, publicIPAddress: ResourceID? = nil) {
        self.name = name
        self.subnet = subnet
        self.privateIPAddress = privateIPAddress
        if privateIPAddress != nil { privateIPAllocationMethod = "Static" }
        self.publicIPAddress = publicIPAddress
    }

    /// Everything the configuration refers to.
    public var references: [ResourceID] { [subnet, publicIPAddress].compactMap { $0 } + applicationSecurityGroups }
}

/// A network interface.
public struct NetworkInterface: AzureResource {
    public static let resourceType = ResourceType.networkInterface
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// IP configurations.
    public var ipConfigurations: [IPConfiguration] = []
    /// NIC-level NSG (docs/semantics.md#nsg-subnet-and-nic).
    public var networkSecurityGroup: ResourceID?
    /// IP forwarding (docs/semantics.md#ip-forwarding).
    public var enableIPForwarding = false

    /// Creates a NIC.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        ipConfigurations.flatMap(\.references) + [networkSecurityGroup].compactMap { $0 }
    }
    public var asResource: Resource { .networkInterface(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .networkInterface(let value) = resource { return value }
        return nil
    }
}

/// A virtual machine (the jumpbox, or any VM in an imported estate).
public struct VirtualMachine: AzureResource {
    public static let resourceType = ResourceType.virtualMachine
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// VM size, e.g. `Standard_D2s_v3`.
    public var size = "Standard_D2s_v3"
    /// `Windows` or `Linux`.
    public var osType = "Windows"
    /// Marketplace image `publisher:offer:sku:version`.
    public var image = "MicrosoftWindowsDesktop:windows-11:win11-23h2-pro:latest"
    /// NICs attached, primary first.
    public var networkInterfaces: [ResourceID] = []
    /// Administrator user name.
    public var adminUsername = "azureuser"
    /// Where the administrator password comes from; never the password itself.
    public var adminPassword: SecretValue?
    /// Linux: password sign-in is disabled, so only the SSH keys below authenticate
    /// (`osProfile.linuxConfiguration.disablePasswordAuthentication`).
    public var disablePasswordAuthentication: Bool?
    /// Linux: SSH public keys authorized for the administrator (`osProfile.linuxConfiguration.ssh.publicKeys`).
    public var sshPublicKeys: [SSHPublicKey]?
    /// Managed identity.
    public var identity = ManagedIdentity.none

    /// Whether the VM signs in with SSH keys only (Linux, password authentication disabled).
    public var usesSSHKeysOnly: Bool {
        osType.lowercased() == "linux" && disablePasswordAuthentication == true
    }

    /// Creates a VM.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        var refs = networkInterfaces + identity.userAssigned
        if case .keyVaultSecret(let vault, _) = adminPassword { refs.append(vault) }
        return refs
    }
    public var asResource: Resource { .virtualMachine(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .virtualMachine(let value) = resource { return value }
        return nil
    }
}

/// An SSH public key authorized on a Linux VM.
public struct SSHPublicKey: Hashable, Sendable, Codable {
    /// Where the key is written on the VM, e.g. `/home/azureuser/.ssh/authorized_keys`.
    public var path: String
    /// The public key text (`ssh-rsa AAAA…`), or nil when it is only known at deployment (a parameter).
    public var keyData: String?

    /// Creates a key entry.
    public init(path: String, keyData: String?) {
        self.path = path
        self.keyData = keyData
    }
}

/// Azure Bastion (docs/semantics.md#bastion).
public struct BastionHost: AzureResource {
    public static let resourceType = ResourceType.bastionHost
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `Developer`, `Basic`, `Standard` or `Premium`; Azure's default is Basic.
    public var sku = "Basic"
    /// IP configuration in AzureBastionSubnet with a public IP.
    public var ipConfigurations: [IPConfiguration] = []
    /// Native client tunnelling (Standard and above).
    public var enableTunneling = false

    /// Creates a Bastion host.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { ipConfigurations.flatMap(\.references) }
    public var asResource: Resource { .bastionHost(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .bastionHost(let value) = resource { return value }
        return nil
    }
}

/// A VPN or ExpressRoute virtual network gateway.
public struct VirtualNetworkGateway: AzureResource {
    public static let resourceType = ResourceType.virtualNetworkGateway
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `Vpn` or `ExpressRoute`.
    public var gatewayType = "Vpn"
    /// `RouteBased` or `PolicyBased`.
    public var vpnType = "RouteBased"
    /// SKU, e.g. `VpnGw1AZ`.
    public var sku = "VpnGw1AZ"
    /// IP configurations in GatewaySubnet.
    public var ipConfigurations: [IPConfiguration] = []
    /// BGP enabled.
    public var enableBgp = false
    /// Point-to-site configuration, if any.
    public var vpnClientConfiguration: VpnClientConfiguration?
    /// The site that receives forced-tunnelled Internet traffic (`gatewayDefaultSite`, a local network gateway):
    /// the gateway then advertises a default route (docs/semantics.md#forced-tunnelling).
    public var gatewayDefaultSite: ResourceID?

    /// Creates a gateway.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { ipConfigurations.flatMap(\.references) }
    public var asResource: Resource { .virtualNetworkGateway(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .virtualNetworkGateway(let value) = resource { return value }
        return nil
    }
}

/// Point-to-site VPN settings of a gateway.
public struct VpnClientConfiguration: Hashable, Sendable, Codable {
    /// The client address pool.
    public var addressPool: [IPv4Prefix]
    /// Tunnel protocols, e.g. `IkeV2`, `OpenVPN`.
    public var protocols: [String] = ["IkeV2", "OpenVPN"]
    /// Authentication types, e.g. `Certificate`.
    public var authenticationTypes: [String] = ["Certificate"]
    /// Trusted root certificates (name and base64 public data, no private key).
    public var rootCertificates: [VpnRootCertificate] = []
    /// DNS servers pushed to clients is not an Azure P2S feature; clients use a hosts file or their own DNS (docs/semantics.md#vpn-client-dns).

    /// Creates a P2S configuration.
    public init(addressPool: [IPv4Prefix]) { self.addressPool = addressPool }
}

/// A point-to-site root certificate's public data.
public struct VpnRootCertificate: Hashable, Sendable, Codable {
    /// Certificate name in the gateway.
    public var name: String
    /// Base64 DER of the certificate, or nil when it is supplied at deployment.
    public var publicCertData: String?

    /// Creates a root certificate entry.
    public init(name: String, publicCertData: String?) {
        self.name = name
        self.publicCertData = publicCertData
    }

    /// Whether `text` is base64 (line breaks allowed) of one DER SEQUENCE whose encoded length matches the data,
    /// the shape of the X.509 certificate a gateway expects in `publicCertData`
    /// (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-certificates-point-to-site).
    public static func isCertificateData(_ text: String) -> Bool {
        let compact = text.filter { !$0.isWhitespace }
        guard !compact.isEmpty, let data = Data(base64Encoded: compact) else { return false }
        let bytes = [UInt8](data)
        guard bytes.count >= 4, bytes[0] == 0x30 else { return false }
        var length = 0, header = 2
        if bytes[1] < 0x80 {
            length = Int(bytes[1])
        } else {
            let count = Int(bytes[1] & 0x7F)
            guard count >= 1, count <= 4, bytes.count > 2 + count else { return false }
            for k in 0..<count { length = length << 8 | Int(bytes[2 + k]) }
            header = 2 + count
        }
        return header + length == bytes.count
    }
}

/// A NAT gateway (an outbound public identity for subnets).
public struct NatGateway: AzureResource {
    public static let resourceType = ResourceType.natGateway
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// Public IPs used for outbound.
    public var publicIPAddresses: [ResourceID] = []

    /// Creates a NAT gateway.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { publicIPAddresses }
    public var asResource: Resource { .natGateway(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .natGateway(let value) = resource { return value }
        return nil
    }
}
