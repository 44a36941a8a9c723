import PalisadeModel

/// Deployment outputs that return a secret (a `list*()` result such as a storage account key, or a secure parameter)
/// without being declared secure.
public struct DeploymentOutputSecretRule: Rule {
    public static let description = RuleDescription(
        id: "deployment_output_secret",
        title: "Deployment Output Secret",
        kind: .security,
        defaultSeverity: .error,
        rationale: """
        The outputs of a deployment are kept in the resource group's deployment history, so anyone with read access \
        can read a storage account key, connection string or password returned as an output, without the permission \
        the key itself needs. An output declared secure (securestring or secureObject, Bicep @secure()) is not kept.
        """,
        source: """
        https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#outputs; \
        https://learn.microsoft.com/azure/azure-resource-manager/bicep/linter-rule-outputs-should-not-contain-secrets
        """,
        fix: """
        return the resource ID instead and read the key where it is needed (listKeys() on that ID, or a Key Vault \
        reference); if the caller really needs the value, declare the output secure (@secure() in Bicep, securestring \
        or secureObject in ARM)
        """,
        passingExamples: [
            .spec("{}"),
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "stexample", "location": "westeurope",
             "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"}
            """, outputs: """
            "storageId": {"type": "string", "value": "[resourceId('Microsoft.Storage/storageAccounts', 'stexample')]"},
            "storageKey": {"type": "securestring",
                           "value": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'stexample'), '2023-05-01').keys[0].value]"}
            """),
        ],
        failingExamples: [
            // The documented failing examples: a list* function and a secure parameter in an output value.
            .arm("""
            {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-05-01", "name": "stexample", "location": "westeurope",
             "sku": {"name": "Standard_LRS"}, "kind": "StorageV2"}
            """, parameters: """
            "secureParam": {"type": "securestring", "defaultValue": "not-a-real-secret"}
            """, outputs: """
            "storageKey": {"type": "string",
                           "value": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'stexample'), '2023-05-01').keys[0].value]"},
            "badResult": {"type": "string", "value": "[format('this is the value {0}', parameters('secureParam'))]"},
            "storageId": {"type": "string", "value": "[resourceId('Microsoft.Storage/storageAccounts', 'stexample')]"}
            """, flagging: ["storageKey", "badResult"]),
        ]
    )

    public init() {}

    public func check(_ context: RuleContext) -> [Finding] {
        context.graph.deploymentOutputs.filter { !$0.isSecure }.map { output in
            let origin = output.secretSources.joined(separator: ", ")
            let place = output.deployment.isEmpty ? "the deployment" : "deployment '\(output.deployment)'"
            // The message names the output and what it is built from, never its value.
            return Finding(ruleID: Self.description.id, severity: Self.description.defaultSeverity,
                           message: "output '\(output.name)' of \(place) returns a secret (\(origin)) that is kept in the deployment history",
                           subject: output.id, resourceType: .deploymentOutput, location: output.source,
                           evidence: [.property(output.id, "value", "built from \(origin) (value not shown)")],
                           fix: Self.description.fix)
        }
    }
}

// MARK: - Fix

extension DeploymentOutputSecretRule {
    /// Declares the output secure (Bicep `@secure()`, ARM `securestring`/`secureObject`), which keeps its value out of
    /// the deployment history (https://learn.microsoft.com/azure/azure-resource-manager/bicep/outputs#secure-outputs);
    /// removing the output and reading the secret from Key Vault where it is needed is the other way.
    public func proposeFix(for finding: Finding, in context: RuleContext) -> FixProposal? {
        guard let output = context.graph.deploymentOutputs.first(where: { $0.id == finding.subject }) else { return nil }
        return context.propose("declare output '\(output.name)' secure (@secure() in Bicep, type securestring or secureObject in ARM), or remove it and read the secret from Key Vault where it is needed") {
            for index in $0.deploymentOutputs.indices where $0.deploymentOutputs[index].id == output.id {
                $0.deploymentOutputs[index].isSecure = true
            }
        }
    }
}
