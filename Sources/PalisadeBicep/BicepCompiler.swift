import Foundation
import PalisadeARM
import PalisadeModel

/// Options for reading Bicep.
public struct BicepOptions: Sendable {
    /// Directories holding registry modules as `<module path>/<version>/main.json` (searched before the cache).
    public var modulePaths: [String] = []
    /// Bicep's module cache root; nil reads bicepconfig.json's `cacheRootDirectory`, else `~/.bicep`.
    public var cacheRoot: String?
    /// Deepest chain of modules compiled.
    public var maxModuleDepth = 32
    /// Most bytes of source read in one compilation.
    public var maxTotalBytes = 256 * 1024 * 1024

    /// Default options.
    public init() {}
}

/// A compiled Bicep file: the ARM template (with Bicep line/column positions) plus what it needs to locate sources.
public struct CompiledBicep: Sendable {
    /// The root file.
    public var file: String
    /// The template, nil when the source has errors.
    public var template: JSONNode?
    /// Problems found, each with `file:line:column`.
    public var diagnostics: Diagnostics
    /// The files of the compilation by number: lines of file `n` in the template are `n * 1,000,000 + line`.
    var files: [String]
}

/// Compiles `.bicep` files into the ARM template model, the way the Bicep compiler emits ARM JSON.
public enum BicepCompiler {
    /// Compiles a file and every module it uses.
    public static func compile(file: String, options: BicepOptions = BicepOptions()) -> CompiledBicep {
        let session = CompilationSession(options: options)
        let path = (file as NSString).standardizingPath
        _ = session.fileNumber(path)
        do {
            let template = try session.template(for: path)
            return CompiledBicep(file: path, template: template, diagnostics: Diagnostics(session.diagnostics), files: session.files)
        } catch {
            let located = session.pendingFileError ?? error
            var items = session.diagnostics
            items.append(diagnostic(located))
            return CompiledBicep(file: path, template: nil, diagnostics: Diagnostics(items), files: session.files)
        }
    }

    /// Compiles Bicep text (for tests and tools); modules are resolved relative to `file`'s directory.
    public static func compile(text: String, file: String, options: BicepOptions = BicepOptions()) -> CompiledBicep {
        let session = CompilationSession(options: options)
        _ = session.fileNumber(file)
        do throws(BicepFileError) {
            let parsed: BicepFile
            do { parsed = try Parser.parse(text, path: file) } catch { throw BicepFileError(file: file, error: error) }
            let c = FileCompiler(session: session, path: file, file: parsed)
            session.compilers[file] = c
            session.stack.append(file)
            do { try c.declare() } catch { throw BicepFileError(file: file, error: error) }
            let t: JSONNode
            do { t = try c.template() } catch { throw BicepFileError(file: file, error: error) }
            return CompiledBicep(file: file, template: t, diagnostics: Diagnostics(session.diagnostics), files: session.files)
        } catch {
            let located = session.pendingFileError ?? error
            var items = session.diagnostics
            items.append(diagnostic(located))
            return CompiledBicep(file: file, template: nil, diagnostics: Diagnostics(items), files: session.files)
        }
    }
}

/// Expands Bicep like `ARMExpander` expands templates: compile, bind parameters, evaluate, then point every resource
/// at the `.bicep` file (and module file) that declares it.
public enum BicepExpander {
    /// Whether a path is Bicep (`.bicep`) or a Bicep parameters file (`.bicepparam`).
    public static func isBicep(_ path: String) -> Bool {
        let l = path.lowercased()
        return l.hasSuffix(".bicep") || l.hasSuffix(".bicepparam")
    }

    /// Expands a `.bicep` file (or the template a `.bicepparam` file names with `using`), with parameter files
    /// (`.bicepparam` or ARM parameter JSON; later files win) and `name=value` overrides.
    public static func expand(file: String, parameterFiles: [String] = [], overrides: [String: String] = [:],
                              options base: EvaluationOptions = EvaluationOptions(), bicep: BicepOptions = BicepOptions()) -> ExpandedDeployment {
        var diagnostics = Diagnostics()
        var templateFile = file
        var paramFiles = parameterFiles
        if file.lowercased().hasSuffix(".bicepparam") {
            let (using, d) = BicepParameters.usingTarget(file)
            diagnostics.append(contentsOf: d)
            guard let using else { return emptyDeployment(diagnostics) }
            templateFile = using
            paramFiles.insert(file, at: 0)
        }
        let compiled = BicepCompiler.compile(file: templateFile, options: bicep)
        diagnostics.append(contentsOf: compiled.diagnostics)
        guard let template = compiled.template else { return emptyDeployment(diagnostics) }
        var options = base
        for p in paramFiles {
            if p.lowercased().hasSuffix(".bicepparam") {
                let (values, d) = BicepParameters.values(file: p, options: base, bicep: bicep)
                diagnostics.append(contentsOf: d)
                options.parameters.merge(values) { _, new in new }
            } else {
                let (node, d) = ARMLoader.load(file: p)
                diagnostics.append(contentsOf: d)
                guard let node else { continue }
                let (values, vd) = ARMLoader.parameters(from: node, file: p)
                diagnostics.append(contentsOf: vd)
                options.parameters.merge(values) { _, new in new }
            }
        }
        options.overrides.merge(overrides) { _, new in new }
        if diagnostics.hasErrors { return emptyDeployment(diagnostics) }
        return expand(compiled: compiled, template: template, options: options, prior: diagnostics)
    }

    /// Expands an already compiled file.
    public static func expand(_ compiled: CompiledBicep, options: EvaluationOptions = EvaluationOptions()) -> ExpandedDeployment {
        guard let template = compiled.template else {
            return emptyDeployment(compiled.diagnostics)
        }
        return expand(compiled: compiled, template: template, options: options, prior: compiled.diagnostics)
    }

    static func expand(compiled: CompiledBicep, template: JSONNode, options: EvaluationOptions, prior: Diagnostics) -> ExpandedDeployment {
        var options = options
        options.recordPropertySources = true
        var result = TemplateEvaluator.expand(template, file: compiled.file, options: options)
        relocate(&result, compiled: compiled)
        result.diagnostics = Diagnostics(prior.items + result.diagnostics.items)
        return result
    }

    /// A deployment with no resources, carrying the diagnostics that prevented expansion.
    static func emptyDeployment(_ diagnostics: Diagnostics) -> ExpandedDeployment {
        var d = TemplateEvaluator.expand(JB.object([("resources", JB.object([]))]), file: "")
        d.diagnostics = diagnostics
        return d
    }

    /// Points every resource and diagnostic at the file that declares it: each file of the compilation has its own
    /// block of line numbers in the template (see `lineStride`).
    static func relocate(_ deployment: inout ExpandedDeployment, compiled: CompiledBicep) {
        func place(_ location: SourceLocation) -> SourceLocation {
            guard let line = location.line, line > lineStride else { return location }
            let number = line / lineStride
            let file = number < compiled.files.count ? compiled.files[number] : location.file
            return SourceLocation(file: file, line: line % lineStride, column: location.column, path: location.path)
        }
        for i in deployment.resources.indices {
            deployment.resources[i].source = place(deployment.resources[i].source)
            deployment.resources[i].elementLines = deployment.resources[i].elementLines.mapValues { $0 % lineStride }
            deployment.resources[i].propertySources = deployment.resources[i].propertySources.mapValues(place)
        }
        for i in deployment.secretOutputs.indices {
            deployment.secretOutputs[i].source = place(deployment.secretOutputs[i].source)
        }
        deployment.diagnostics = Diagnostics(deployment.diagnostics.items.map { d in
            var d = d
            if let l = d.location { d.location = place(l) }
            return d
        })
    }
}

/// Reads Bicep into the resource graph, like `ARMImporter.importFile` reads templates.
public enum BicepImporter {
    /// Compiles, expands and converts a `.bicep` or `.bicepparam` file.
    public static func importFile(_ path: String, options: ImportOptions = ImportOptions(),
                                  bicep: BicepOptions = BicepOptions()) -> (ResourceGraph, Diagnostics) {
        let expanded = BicepExpander.expand(file: path, parameterFiles: options.parameterFiles, overrides: options.overrides,
                                            options: options.evaluation, bicep: bicep)
        return ARMImporter.importDeployment(expanded)
    }
}
