// TypeDoc plugin, for `validation.notDocumented` to ask for documentation only where we declared
// something: the types that XState infers for the connection machine (the type arguments of
// `StateMachine<...>` and `Actor<...>`: every action, guard, delay and state of the definition)
// are marked as XState's, and the literal-typed discriminant of a union's variant (`type`) as
// what tells the variants apart (the variant's own comment says what it is). The rest stays checked.
import { Comment, Converter, ReflectionKind, ReflectionType } from 'typedoc';

const NOTE = [{ kind: 'text', text: "Part of XState's inferred machine type." }];

/** Every reflection declared inside `type`, at any depth. */
function* declarations(type, seen = new Set()) {
  if (!type || seen.has(type)) return;
  seen.add(type);
  if (type instanceof ReflectionType) {
    const stack = [type.declaration];
    while (stack.length) {
      const reflection = stack.pop();
      yield reflection;
      for (const child of reflection.children ?? []) stack.push(child);
      for (const signature of reflection.signatures ?? []) {
        yield signature;
        for (const parameter of signature.parameters ?? []) yield* declarations(parameter.type, seen);
        yield* declarations(signature.type, seen);
      }
      yield* declarations(reflection.type, seen);
    }
    return;
  }
  for (const key of ['typeArguments', 'types', 'elements']) for (const inner of type[key] ?? []) yield* declarations(inner, seen);
  for (const key of ['elementType', 'target', 'objectType', 'indexType', 'checkType', 'extendsType', 'trueType', 'falseType']) {
    if (type[key] && typeof type[key] === 'object') yield* declarations(type[key], seen);
  }
}

const DISCRIMINANT = [{ kind: 'text', text: 'Tells the variants apart.' }];

export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    for (const alias of context.project.getReflectionsByKind(ReflectionKind.TypeAlias)) {
      if (alias.type?.type !== 'union') continue;
      // A variant is a type literal, or an intersection with one (`{ type: 'x' } & Payload`).
      const literals = alias.type.types.flatMap((member) => (member.type === 'intersection' ? member.types : [member]));
      for (const member of literals) {
        if (!(member instanceof ReflectionType)) continue;
        for (const field of member.declaration.children ?? []) {
          if (field.type?.type === 'literal') field.comment ??= new Comment(DISCRIMINANT.map((part) => ({ ...part })));
        }
      }
    }
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Variable | ReflectionKind.Property)) {
      const type = reflection.type;
      if (type?.type !== 'reference' || type.package !== 'xstate') continue;
      for (const inner of declarations(type)) inner.comment ??= new Comment(NOTE.map((part) => ({ ...part })));
    }
  });
}
