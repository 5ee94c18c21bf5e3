import { join } from 'node:path';
import { REPO_ROOT } from '@caas/testing';
import ts from 'typescript';

/** One public event type as its contract declares it. */
export interface ContractEvent {
  readonly context: string;
  readonly type: string;
  /** Top-level `data` field names; optional ones end in `?` (`reason?`). */
  readonly dataFields: readonly string[];
}

/** An event union type in a contract file, e.g. `TenancyEvent` in `tenancy/tenancy.events.ts`. */
export interface ContractUnion {
  readonly context: string;
  /** Relative to `libs/contracts/src`. */
  readonly file: string;
  readonly union: string;
}

/**
 * Reads each union's members with the TypeScript type checker, so `extends`, `&`, `Omit`
 * and `Extract` resolve exactly as the compiler sees them, and fails loudly when a union
 * or a member is not the `{ type: '<literal>'; data: {...} }` shape.
 */
export function readContractEvents(unions: readonly ContractUnion[]): ContractEvent[] {
  const contractsRoot = join(REPO_ROOT, 'libs/contracts/src');
  const config = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(config.config.compilerOptions, REPO_ROOT);
  const files = unions.map((u) => join(contractsRoot, u.file));
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const checker = program.getTypeChecker();

  return unions.flatMap(({ context, file, union }) => {
    const source = program.getSourceFile(join(contractsRoot, file));
    if (!source) throw new Error(`No contract file libs/contracts/src/${file}`);
    const alias = source.statements.find(
      (statement): statement is ts.TypeAliasDeclaration =>
        ts.isTypeAliasDeclaration(statement) && statement.name.text === union,
    );
    if (!alias) throw new Error(`libs/contracts/src/${file} declares no type ${union}`);
    const unionType = checker.getTypeAtLocation(alias.name);
    const members = unionType.isUnion() ? unionType.types : [unionType];
    return members.map((member) => {
      const type = literalType(checker, member, alias, `${union} in ${file}`);
      const data = member.getProperty('data');
      if (!data) throw new Error(`${union} member ${type} in ${file} has no data`);
      const dataType = checker.getTypeOfSymbolAtLocation(data, alias);
      const dataFields = checker
        .getPropertiesOfType(dataType)
        .map((field) => (field.flags & ts.SymbolFlags.Optional ? `${field.name}?` : field.name));
      return { context, type, dataFields };
    });
  });
}

function literalType(checker: ts.TypeChecker, member: ts.Type, at: ts.Node, where: string): string {
  const symbol = member.getProperty('type');
  const type = symbol && checker.getTypeOfSymbolAtLocation(symbol, at);
  if (!type?.isStringLiteral()) throw new Error(`A member of ${where} has no string literal 'type'`);
  return type.value;
}
