import PalisadeModel

/// Checkov checks that the rendered code fails on purpose, each with the reason written next to it (inline in
/// the Terraform block, in the ARM resource's `metadata.checkov`). docs/checkov-suppressions.md lists them all.
/// Only false positives and conflicts with the design are here; real findings are fixed in the renderer.
enum CheckovSuppressions {
    /// A suppressed check and why.
    struct Skip: Hashable, Sendable {
        let id: String
        let reason: String
    }

    private static let secretExpiry = Skip(id: "CKV_AZURE_41", reason: "generated jumpbox password; the graph sets no rotation date and a fixed expiry would make output time-dependent")
    private static let encryptionAtHost = "encryption at host needs the EncryptionAtHost feature registered per subscription; disks are encrypted at rest with platform keys"
    private static let extensions = Skip(id: "CKV_AZURE_50", reason: "the graph installs no extension; operators may add Entra ID login or monitoring agents to the jumpbox")
    private static let cognitiveIdentity = Skip(id: "CKV_AZURE_238", reason: "the graph gives the account no managed identity; it calls no other resource (the workspace calls it)")
    /// A VNet whose DNS server is a landing zone's DNS Private Resolver inbound endpoint: one address, outside the VNet.
    private static func platformResolver(_ vnet: VirtualNetwork) -> [Skip] {
        guard !vnet.dnsServers.isEmpty else { return [] }
        return [
            Skip(id: "CKV_AZURE_182", reason: "the DNS server is the platform's DNS Private Resolver inbound endpoint, one address served across availability zones (https://learn.microsoft.com/azure/dns/private-resolver-reliability)"),
            Skip(id: "CKV_AZURE_183", reason: "a landing-zone spoke resolves through the platform's resolver in the hub, by design (https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets)"),
        ]
    }
    private static let quarantine = Skip(id: "CKV_AZURE_166", reason: "AML pushes environment images and pulls them at once; quarantine would block image builds")

    /// Skips for a resource in Terraform.
    static func terraform(_ resource: Resource) -> [Skip] {
        switch resource {
        case .virtualNetwork(let vnet):
            return platformResolver(vnet)
        case .virtualMachine:
            return [Skip(id: "CKV_AZURE_151", reason: encryptionAtHost), extensions]
        case .storageAccount(let storage):
            var skips = [
                Skip(id: "CKV_AZURE_33", reason: "AML does not use queues; account logs go to Log Analytics through a diagnostic setting"),
                Skip(id: "CKV_AZURE_244", reason: "SFTP is off (is_sftp_enabled defaults to false), so no local user can sign in; the graph has no local-user setting"),
                Skip(id: "CKV2_AZURE_1", reason: "Microsoft-managed keys by design; customer-managed keys are not part of the design"),
                Skip(id: "CKV2_AZURE_38", reason: "the graph has no blob soft-delete setting (requested as a model change)"),
            ]
            if !isGeoReplicated(storage.sku) { skips.append(Skip(id: "CKV_AZURE_206", reason: "replication is the spec's storage.sku (\(storage.sku))")) }
            return skips
        case .containerRegistry:
            return [
                Skip(id: "CKV_AZURE_164", reason: "content trust is deprecated by ACR and not supported with AML image builds"),
                Skip(id: "CKV_AZURE_165", reason: "single-region environment; geo-replication is not part of the design"),
                quarantine,
                Skip(id: "CKV_AZURE_167", reason: "retention of untagged manifests is a preview feature the graph does not set"),
                Skip(id: "CKV_AZURE_233", reason: "zone redundancy depends on the region; not part of the design"),
                Skip(id: "CKV_AZURE_237", reason: "public access is disabled; the registry is reached only through its private endpoint, whose DNS covers the data endpoint"),
            ]
        case .azureFirewall(let firewall) where firewall.firewallPolicy != nil:
            return [Skip(id: "CKV_AZURE_216", reason: "threat intelligence mode is set on the attached Firewall Policy (spec firewall.threatIntelMode)")]
        case .cognitiveServicesAccount:
            return [cognitiveIdentity,
                    Skip(id: "CKV_AZURE_247", reason: "outbound restriction of the account is not in the graph (requested as a model change); it is reachable only through its private endpoint"),
                    Skip(id: "CKV2_AZURE_22", reason: "Microsoft-managed keys by design; customer-managed keys are not part of the design")]
        case .firewallPolicy(let policy) where policy.skuTier != "Premium":
            return [Skip(id: "CKV_AZURE_220", reason: "IDPS needs the Premium tier; the spec chose \(policy.skuTier)")]
        default: return []
        }
    }

    /// Skips for a resource in the ARM template.
    static func arm(_ resource: Resource) -> [Skip] {
        switch resource {
        case .virtualNetwork(let vnet):
            return platformResolver(vnet)
        case .keyVaultSecret: return [secretExpiry]
        case .virtualMachine(let vm):
            var skips = [Skip(id: "CKV_AZURE_97", reason: encryptionAtHost), Skip(id: "CKV_AZURE_151", reason: encryptionAtHost), extensions]
            if vm.osType.lowercased() != "linux" {
                skips.append(Skip(id: "CKV_AZURE_178", reason: "false positive: a Windows VM has no linuxConfiguration/ssh keys"))
            }
            return skips
        case .storageAccount(let storage):
            var skips = [Skip(id: "CKV_AZURE_43", reason: "false positive: the name is format('st{0}…', parameters('name')), which checkov does not evaluate")]
            if !isGeoReplicated(storage.sku) { skips.append(Skip(id: "CKV_AZURE_206", reason: "replication is the spec's storage.sku (\(storage.sku))")) }
            return skips
        case .containerRegistry: return [quarantine]
        case .cognitiveServicesAccount: return [cognitiveIdentity]
        case .machineLearningWorkspace(let workspace) where workspace.managedNetwork.isolationMode == .disabled:
            return [Skip(id: "CKV_AZURE_243", reason: "customer-managed network: the workspace has its own private endpoint in the VNet, not a managed-network outbound rule")]
        case .azureFirewall(let firewall) where firewall.firewallPolicy != nil:
            return [Skip(id: "CKV_AZURE_216", reason: "threat intelligence mode is set on the attached Firewall Policy (spec firewall.threatIntelMode)")]
        default: return []
        }
    }

    private static func isGeoReplicated(_ sku: String) -> Bool {
        let upper = sku.uppercased()
        return upper.hasSuffix("GRS") || upper.hasSuffix("GZRS")
    }
}
