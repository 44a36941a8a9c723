import PalisadeModel

/// Everything `palisade expand` needs, so the command stays a thin wrapper.
public struct ExpandRequest: Sendable {
    /// The template path.
    public var template: String
    /// `--parameters FILE` values, in order.
    public var parameterFiles: [String] = []
    /// `--parameter name=value` arguments as typed.
    public var parameterArguments: [String] = []
    /// `--outputs`: print only the outputs object.
    public var outputsOnly = false
    /// `--placeholders`: fill missing required parameters with typed placeholders.
    public var placeholders = false
    /// Deployment context (subscription, resource group, location, tenant, deployment name, `utcNow`).
    public var deployment = DeploymentContext()

    /// Creates a request for a template.
    public init(template: String) { self.template = template }
}

/// What `palisade expand` prints and how it exits.
public struct ExpandResponse: Sendable {
    /// The JSON document for stdout (empty when input errors prevented expansion).
    public var output: String
    /// Diagnostics for stderr, in the order found.
    public var diagnostics: Diagnostics
    /// 0 when there are no errors, 2 for invalid input (the documented CLI convention).
    public var exitCode: Int32 { diagnostics.hasErrors ? 2 : 0 }
}

extension ARMExpander {
    /// Runs an expand request end to end: parses `name=value` arguments, expands, renders.
    public static func run(_ request: ExpandRequest) -> ExpandResponse {
        var diagnostics = Diagnostics()
        var overrides: [String: String] = [:]
        for argument in request.parameterArguments {
            guard let (name, value) = parseOverride(argument) else {
                diagnostics.append(Diagnostic(.error, code: "arm.parameter-argument", "--parameter '\(argument)' is not name=value",
                                              fix: "write --parameter name=value"))
                continue
            }
            overrides[name] = value
        }
        if diagnostics.hasErrors { return ExpandResponse(output: "", diagnostics: diagnostics) }
        var options = EvaluationOptions()
        options.deployment = request.deployment
        options.placeholders = request.placeholders
        let result = expand(template: request.template, parameterFiles: request.parameterFiles, overrides: overrides, options: options)
        diagnostics.append(contentsOf: result.diagnostics)
        if result.diagnostics.items.contains(where: { $0.code == "arm.json" || $0.code == "arm.io" || $0.code == "arm.missing-parameters" }) {
            return ExpandResponse(output: "", diagnostics: diagnostics)
        }
        return ExpandResponse(output: request.outputsOnly ? result.renderOutputsJSON() : result.renderJSON(), diagnostics: diagnostics)
    }
}
