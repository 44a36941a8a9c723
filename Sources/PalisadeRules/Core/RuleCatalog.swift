/// Every rule, sorted by ID. Hand-kept: add a new rule here (a test checks the order and uniqueness).
public enum RuleCatalog {
    /// The catalog.
    public static let all: [any Rule.Type] = [
        ComputeForcedTunnelRoutesRule.self,
        ComputeInboundManagementBlockedRule.self,
        ComputePlacementRule.self,
        ComputePublicIPRule.self,
        ComputeRequiredOutboundBlockedRule.self,
        ComputeStoragePortsBlockedRule.self,
        ComputeSubnetCapacityRule.self,
        ComputeSubnetDelegatedRule.self,
        ComputeSubnetNetworkPoliciesRule.self,
        ComputeWithoutWorkspaceEndpointRule.self,
        FirewallExfiltrationRule.self,
        FirewallThreatIntelModeRule.self,
        KeyVaultPurgeProtectionRule.self,
        KeyVaultRbacAuthorizationRule.self,
        KeyVaultTrustedServicesRule.self,
        ManagedNetworkApproverRoleRule.self,
        ManagedNetworkRuleModeRule.self,
        MonitorScopeOpenAccessRule.self,
        NetworkSecurityGroupDuplicatePriorityRule.self,
        NetworkSecurityGroupExfiltrationRule.self,
        NetworkSecurityGroupManagementPortsRule.self,
        NetworkSecurityGroupShadowedRuleRule.self,
        PlainTextSecretRule.self,
        PrivateDnsZoneLinkRule.self,
        PrivateEndpointZoneGroupRule.self,
        PrivateEndpointZoneNameRule.self,
        RegistryAdminUserRule.self,
        RegistryImageBuildComputeRule.self,
        RegistryPrivateAccessSkuRule.self,
        ServicePublicNetworkAccessRule.self,
        ServiceWithoutPrivateEndpointRule.self,
        SpecialSubnetPlacementRule.self,
        SpecialSubnetSizeRule.self,
        StorageBlobPublicAccessRule.self,
        StorageInsecureTransportRule.self,
        StorageReplicationRule.self,
        StorageServiceEndpointPolicyRule.self,
        StorageSharedKeyAccessRule.self,
        SubnetWithoutNetworkSecurityGroupRule.self,
        VirtualMachinePublicIPRule.self,
        VirtualNetworkDockerBridgeRule.self,
        WorkspaceDependencyNetworkRule.self,
        WorkspaceIPAllowlistRule.self,
        WorkspaceTrustedServicesRule.self,
        WorkspaceLegacyModeRule.self,
    ]

    /// The rule with this ID (case-insensitive).
    public static func rule(_ id: String) -> (any Rule.Type)? {
        all.first { $0.description.id.lowercased() == id.lowercased() }
    }
}
