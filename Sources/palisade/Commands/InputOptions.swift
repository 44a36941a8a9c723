import ArgumentParser
import PalisadeARM
import PalisadeBicep
import PalisadeTerraform

/// Options every command that reads an ARM template or export shares.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("parameters"), help: "Parameter file(s): ARM deploymentParameters JSON, or .bicepparam for Bicep input; later files win.")
    var parameterFiles: [String] = []

    @Option(name: .customLong("parameter"), help: "Override one template parameter: name=value (repeatable).")
    var parameterOverrides: [String] = []

    @Option(name: .customLong("module-path"), help: "Directory of Bicep registry modules as <module path>/<version>/main.json (repeatable).")
    var modulePaths: [String] = []

    @Flag(help: "Fill required template parameters that have no value with typed placeholders.")
    var placeholders = false

    @Option(help: "Deployment context: subscription ID.")
    var subscriptionId: String?

    @Option(help: "Deployment context: resource group name.")
    var resourceGroup: String?

    @Option(help: "Deployment context: resource group location.")
    var location: String?

    @Option(help: "Deployment context: fixed utcNow() value (ISO 8601), so output is deterministic.")
    var utcNow: String?

    @Option(name: .customLong("var"), help: "Terraform: set one root variable, NAME=VALUE (repeatable).")
    var terraformVariables: [String] = []

    @Option(name: .customLong("var-file"), help: "Terraform: a .tfvars file of variable values (repeatable; later files win).")
    var terraformVariableFiles: [String] = []

    /// The Terraform reader options these flags describe.
    func terraformOptions() throws -> TerraformOptions {
        var options = TerraformOptions()
        for entry in terraformVariables {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--var expects NAME=VALUE, got '\(entry)'")
            }
            options.variables.append((String(entry[..<equals]), String(entry[entry.index(after: equals)...])))
        }
        options.variableFiles = terraformVariableFiles
        if let subscriptionId { options.subscriptionID = subscriptionId }
        return options
    }

    /// The Bicep reader options these flags describe.
    func bicepOptions() -> BicepOptions {
        var options = BicepOptions()
        options.modulePaths = modulePaths
        return options
    }

    /// The importer options these flags describe.
    func importOptions() throws -> ImportOptions {
        var options = ImportOptions()
        options.parameterFiles = parameterFiles
        for entry in parameterOverrides {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw ValidationError("--parameter expects name=value, got '\(entry)'")
            }
            options.overrides[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        options.evaluation.placeholders = placeholders
        if let subscriptionId { options.evaluation.deployment.subscriptionID = subscriptionId }
        if let resourceGroup { options.evaluation.deployment.resourceGroup = resourceGroup }
        if let location { options.evaluation.deployment.location = location }
        if let utcNow {
            guard DeploymentContext.isValidUTCNow(utcNow) else {
                throw ValidationError("--utc-now '\(utcNow)' is not a valid ISO 8601 UTC time; write e.g. 2026-01-31T12:00:00Z")
            }
            options.evaluation.deployment.utcNow = utcNow
        }
        return options
    }
}
