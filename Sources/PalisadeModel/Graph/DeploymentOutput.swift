/// An output of a deployment (a template, a Bicep file or one of its modules) whose value is built from a secret:
/// a `list*()` result such as `listKeys()`, or a secure parameter. Outputs are kept in the deployment history, where
/// anyone with read access to the resource group can read them
/// (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#outputs). Readers record only
/// such outputs; the value itself is never kept.
public struct DeploymentOutput: Hashable, Sendable, Codable {
    /// The deployment's ID followed by `/outputs/<name>`, so findings and waivers can name it like a resource.
    public var id: ResourceID
    /// The output's name.
    public var name: String
    /// The deployment that declares it (the root deployment or a nested one, e.g. a Bicep module).
    public var deployment: String
    /// What the value is built from, in plain words (`listKeys()`, `the secure parameter 'adminPassword'`), sorted.
    public var secretSources: [String]
    /// Whether the output is declared secure (`securestring`/`secureObject`, Bicep `@secure()`), which keeps its value
    /// out of the deployment history.
    public var isSecure: Bool
    /// Where the output is declared.
    public var source: SourceLocation?

    /// Creates a record of a secret-bearing output.
    public init(id: ResourceID, name: String, deployment: String, secretSources: [String], isSecure: Bool, source: SourceLocation?) {
        self.id = id
        self.name = name
        self.deployment = deployment
        self.secretSources = secretSources
        self.isSecure = isSecure
        self.source = source
    }
}

extension ResourceType {
    /// The type findings about deployment outputs carry.
    public static let deploymentOutput = ResourceType("Microsoft.Resources/deployments/outputs")
}
