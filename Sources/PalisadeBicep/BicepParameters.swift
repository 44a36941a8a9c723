import Foundation
import PalisadeARM
import PalisadeModel

/// Reads `.bicepparam` files: `using '<template>'` plus `param name = value` (and `var`), values being Bicep
/// expressions. https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameter-files
public enum BicepParameters {
    /// The template a `.bicepparam` file names with `using`, resolved against the file's directory.
    public static func usingTarget(_ file: String) -> (String?, Diagnostics) {
        guard let data = FileManager.default.contents(atPath: file) else {
            return (nil, Diagnostics([Diagnostic(.error, code: "bicep.io", "cannot read '\(file)'", fix: "check the path and permissions", at: SourceLocation(file: file))]))
        }
        do {
            let parsed = try Parser.parse(String(decoding: data, as: UTF8.self), path: file)
            for s in parsed.statements {
                if case .using(let target, let at) = s {
                    guard !target.isEmpty else {
                        return (nil, Diagnostics([Diagnostic(.error, code: "bicep.using", "this parameters file is not tied to a template ('using none')",
                                                             fix: "pass the template and give this file with --parameters",
                                                             at: SourceLocation(file: file, line: at.line, column: at.column))]))
                    }
                    let dir = (file as NSString).deletingLastPathComponent
                    let path = target.hasPrefix("/") ? target : (dir as NSString).appendingPathComponent(target)
                    return ((path as NSString).standardizingPath, Diagnostics())
                }
            }
            return (nil, Diagnostics([Diagnostic(.error, code: "bicep.using", "the parameters file has no 'using' statement naming its template",
                                                 fix: "add using './main.bicep' at the top", at: SourceLocation(file: file, line: 1, column: 1))]))
        } catch {
            return (nil, Diagnostics([Diagnostic(.error, code: "bicep.compile", error.message, fix: "fix the Bicep source at this position",
                                                 at: SourceLocation(file: file, line: error.position.line, column: error.position.column))]))
        }
    }

    /// Evaluates the `param` values of a `.bicepparam` file.
    public static func values(file: String, options: EvaluationOptions = EvaluationOptions(),
                              bicep: BicepOptions = BicepOptions()) -> ([String: ARMValue], Diagnostics) {
        let session = CompilationSession(options: bicep)
        let c: FileCompiler
        do { c = try session.compiler(for: file) } catch {
            return ([:], Diagnostics([diagnostic(error)]))
        }
        var values: [String: ARMValue] = [:]
        var params: [(String, JSONNode)] = []
        var outputs: [(String, JSONNode)] = []
        // Literal values are checked against the types the template declares, as the compiler checks them.
        var template: FileCompiler?
        if let target = usingTarget(file).0, target.lowercased().hasSuffix(".bicep") {
            template = try? session.compiler(for: target)
        }
        do {
            if let template {
                for name in c.parameterOrder {
                    guard let v = c.parameters[name]?.defaultValue,
                          let declared = template.parameterOrder.first(where: { $0.lowercased() == name.lowercased() }),
                          let p = template.parameters[declared], let type = p.type else { continue }
                    try template.check(v, against: type, sealed: p.decorators.contains { $0.name == "sealed" },
                                       what: "the value of parameter '\(name)'")
                }
            }
            for name in c.parameterOrder {
                guard let p = c.parameters[name], let v = p.defaultValue else { continue }
                // az.getSecret(subscription, group, vault, secret): a Key Vault reference, never read here.
                if case .call(_, "getSecret", let args, _) = v, args.count >= 4 {
                    var texts: [String] = []
                    for a in args { if case .string(let s, _) = a { texts.append(s) } else { texts.append("") } }
                    let vault = "/subscriptions/\(texts[0])/resourceGroups/\(texts[1])/providers/Microsoft.KeyVault/vaults/\(texts[2])"
                    values[name] = .secret(.keyVaultSecret(vault: ResourceID(vault), name: texts[3]))
                    continue
                }
                params.append((name, JB.object([("type", JB.string("any")), ("defaultValue", try c.value(v, [:]))], p.position)))
                outputs.append((name, JB.object([("type", JB.string("object")), ("value", JB.expression("parameters(\(JB.quote(name)))"))], p.position)))
            }
            var vars: [(String, JSONNode)] = []
            for name in c.variableOrder {
                guard let v = c.variables[name] else { continue }
                vars.append((name, try c.value(v.value, [:])))
            }
            let template = JB.object([("parameters", JB.object(params)), ("variables", JB.object(vars)), ("resources", JB.object([])),
                                      ("outputs", JB.object(outputs))])
            var evalOptions = EvaluationOptions()
            evalOptions.deployment = options.deployment
            let result = TemplateEvaluator.expand(template, file: file, options: evalOptions)
            for e in result.outputs.entries { values[e.key] = e.value }
            return (values, result.diagnostics)
        } catch {
            return ([:], Diagnostics([Diagnostic(.error, code: "bicep.compile", error.message, fix: "fix the Bicep source at this position",
                                                 at: SourceLocation(file: file, line: error.position.line, column: error.position.column))]))
        }
    }
}
