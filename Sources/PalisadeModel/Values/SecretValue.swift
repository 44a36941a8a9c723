/// Where a secret comes from. The model never holds a secret's plain text, so no renderer or report can leak it.
public enum SecretValue: Hashable, Sendable, Codable {
    /// Generated at deployment time (e.g. Terraform `random_password`) with at least this many characters.
    case generated(length: Int)
    /// Stored in (or read from) a Key Vault secret.
    case keyVaultSecret(vault: ResourceID, name: String)
    /// Supplied at deployment through a secure template parameter.
    case secureParameter(name: String)
    /// The input held a literal secret; only the fact is kept, never the value.
    case redactedLiteral
}

/// A resource's managed identity configuration.
public struct ManagedIdentity: Hashable, Sendable, Codable {
    /// Whether a system-assigned identity is enabled.
    public var systemAssigned: Bool
    /// User-assigned identities attached to the resource.
    public var userAssigned: [ResourceID]

    /// Creates an identity configuration.
    public init(systemAssigned: Bool = false, userAssigned: [ResourceID] = []) {
        self.systemAssigned = systemAssigned
        self.userAssigned = userAssigned
    }

    /// No identity.
    public static let none = ManagedIdentity()
    /// A system-assigned identity only.
    public static let system = ManagedIdentity(systemAssigned: true)

    /// The ARM `identity.type` text.
    public var armType: String {
        switch (systemAssigned, userAssigned.isEmpty) {
        case (false, true): "None"
        case (true, true): "SystemAssigned"
        case (false, false): "UserAssigned"
        case (true, false): "SystemAssigned,UserAssigned"
        }
    }
}

/// `Enabled`/`Disabled` switches as ARM spells them.
public enum EnablementState: String, Hashable, Sendable, Codable, CaseIterable {
    case enabled = "Enabled"
    case disabled = "Disabled"

    /// Whether the switch is on.
    public var isEnabled: Bool { self == .enabled }
}

/// A network ACL default action (storage, key vault, registry).
public enum NetworkAction: String, Hashable, Sendable, Codable, CaseIterable {
    case allow = "Allow"
    case deny = "Deny"
}
