/// Built-in Azure roles the designs assign, by role definition GUID
/// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
public enum BuiltInRoles {
    /// Owner.
    public static let owner = BuiltInRoleDefinition(id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", name: "Owner")
    /// Contributor.
    public static let contributor = BuiltInRoleDefinition(id: "b24988ac-6180-42a0-ab88-20f7382dd24c", name: "Contributor")
    /// Reader.
    public static let reader = BuiltInRoleDefinition(id: "acdd72a7-3385-48ef-bd42-f606fba81ae7", name: "Reader")
    /// Key Vault Administrator (data plane of an RBAC vault).
    public static let keyVaultAdministrator = BuiltInRoleDefinition(id: "00482a5a-887f-4fb3-b363-3b7fe8e74483", name: "Key Vault Administrator")
    /// Storage Blob Data Contributor.
    public static let storageBlobDataContributor = BuiltInRoleDefinition(id: "ba92f5b4-2d11-453d-a403-e96b0029c9fe", name: "Storage Blob Data Contributor")
    /// Storage File Data Privileged Contributor.
    public static let storageFileDataPrivilegedContributor = BuiltInRoleDefinition(id: "69566ab7-960f-475b-8e7c-b3118f30c6bd", name: "Storage File Data Privileged Contributor")
    /// AcrPull.
    public static let acrPull = BuiltInRoleDefinition(id: "7f951dda-4ed3-4680-a7ca-43fe172d538d", name: "AcrPull")
    /// Azure AI Enterprise Network Connection Approver.
    public static let networkConnectionApprover = BuiltInRoleDefinition(id: "b556d68e-0be0-4f35-a333-ad7ee1ce17ea", name: "Azure AI Enterprise Network Connection Approver")
    /// Network Contributor.
    public static let networkContributor = BuiltInRoleDefinition(id: "4d97b98b-1d4f-4787-a291-c67834d212e7", name: "Network Contributor")
    /// Storage Blob Data Reader.
    public static let storageBlobDataReader = BuiltInRoleDefinition(id: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", name: "Storage Blob Data Reader")
    /// AcrPush.
    public static let acrPush = BuiltInRoleDefinition(id: "8311e382-0749-4cb8-b61a-304f252e45ec", name: "AcrPush")
    /// Key Vault Secrets Officer.
    public static let keyVaultSecretsOfficer = BuiltInRoleDefinition(id: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", name: "Key Vault Secrets Officer")
    /// Key Vault Secrets User.
    public static let keyVaultSecretsUser = BuiltInRoleDefinition(id: "4633458b-17de-408a-b874-0445c86b69e6", name: "Key Vault Secrets User")
    /// AzureML Data Scientist.
    public static let azureMLDataScientist = BuiltInRoleDefinition(id: "f6c7c914-8db3-469d-8ca1-694a8f32e121", name: "AzureML Data Scientist")
    /// AzureML Compute Operator.
    public static let azureMLComputeOperator = BuiltInRoleDefinition(id: "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815", name: "AzureML Compute Operator")

    /// Every role above.
    public static let all: [BuiltInRoleDefinition] = [
        owner, contributor, reader, keyVaultAdministrator, storageBlobDataContributor, storageFileDataPrivilegedContributor,
        acrPull, networkConnectionApprover, networkContributor, storageBlobDataReader, acrPush, keyVaultSecretsOfficer,
        keyVaultSecretsUser, azureMLDataScientist, azureMLComputeOperator,
    ]

    /// The role with this display name (case-insensitive), as `role_definition_name` gives it.
    public static func named(_ name: String) -> BuiltInRoleDefinition? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }
}

/// A built-in role: its definition GUID and display name.
public struct BuiltInRoleDefinition: Sendable, Hashable {
    /// Role definition GUID.
    public var id: String
    /// Display name.
    public var name: String

    /// Creates a role definition reference.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// The roles a workspace's user-assigned identity needs on the workspace and its associated resources, as
/// Microsoft's table lists them (https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication#user-assigned-managed-identity).
public enum WorkspaceIdentityRoles {
    /// Which associated resource a requirement is about.
    public enum Target: String, Sendable, Hashable, CaseIterable {
        case workspace, storage, keyVault, containerRegistry, applicationInsights
    }

    /// One required role: the target, and the roles any one of which satisfies it (Owner covers Contributor).
    public struct Requirement: Sendable, Hashable {
        /// The resource the role is held on.
        public var target: Target
        /// The role to assign.
        public var role: BuiltInRoleDefinition
        /// Roles that also satisfy it.
        public var satisfiedBy: [BuiltInRoleDefinition]
    }

    /// The table for a workspace whose key vault uses the RBAC permission model (`rbacVault`) or access policies.
    /// Storage Blob Data Contributor is listed by Microsoft as optional (data preview in studio); the designs
    /// assign it anyway, and the rule does not require it.
    public static func requirements(rbacVault: Bool) -> [Requirement] {
        let contributor = [BuiltInRoles.contributor, BuiltInRoles.owner]
        var rows: [Requirement] = [
            Requirement(target: .workspace, role: BuiltInRoles.contributor, satisfiedBy: contributor),
            Requirement(target: .storage, role: BuiltInRoles.contributor, satisfiedBy: contributor),
            Requirement(target: .keyVault, role: BuiltInRoles.contributor, satisfiedBy: contributor),
            Requirement(target: .containerRegistry, role: BuiltInRoles.contributor, satisfiedBy: contributor),
            Requirement(target: .applicationInsights, role: BuiltInRoles.contributor, satisfiedBy: contributor),
        ]
        if rbacVault {
            rows.append(Requirement(target: .keyVault, role: BuiltInRoles.keyVaultAdministrator, satisfiedBy: [BuiltInRoles.keyVaultAdministrator]))
        }
        return rows
    }
}
