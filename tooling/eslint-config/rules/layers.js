// ESLint rule `bcon/layers`: a lower bcon package never imports a higher one (not even for types),
// and no package reaches into another's files by a relative path or a deep import.
// Hand-written rather than eslint-plugin-boundaries: it needs no import resolver, so it works on
// unbuilt sources and sees `import type`, `import()`, `require()`, re-exports and `import('x').T` alike.
import path from 'node:path';
import { LAYERS, ORDER, TOOLING } from '../layers.js';

const byDir = Object.entries(LAYERS).map(([name, info]) => ({ name, ...info }));

function packageOfFile(root, file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return byDir.find((p) => rel === p.dir || rel.startsWith(`${p.dir}/`));
}

function bconName(source) {
  const m = /^(@bcon\/[^/]+)(\/.*)?$/.exec(source);
  return m ? { name: m[1], subpath: m[2] ?? '' } : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports between bcon packages point down the level stack only' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      upward:
        '{{from}} is {{fromLevel}} and must not import {{to}} ({{toLevel}}): imports point down only ({{order}}). Move the shared code down, or offer a hook (interface) in the lower package.',
      unknown: '{{from}} must not import {{to}}: it is not one of the bcon packages below it ({{allowed}}).',
      relative:
        'Relative import "{{source}}" leaves {{from}} ({{dir}}): import the other package by its name ({{to}}) through its public exports.',
      deep: 'Deep import "{{source}}" reaches into the internals of {{to}}: import from "{{to}}" (its public exports) instead.',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const own = packageOfFile(root, context.filename);
    if (!own) return {};

    function check(node, source) {
      if (typeof source !== 'string') return;
      const bcon = bconName(source);
      if (bcon) {
        if (bcon.name === own.name || TOOLING.includes(bcon.name)) return;
        const target = LAYERS[bcon.name];
        if (!own.may.includes(bcon.name)) {
          if (target) {
            context.report({
              node,
              messageId: 'upward',
              data: { from: own.name, fromLevel: own.level, to: bcon.name, toLevel: target.level, order: ORDER },
            });
          } else {
            context.report({
              node,
              messageId: 'unknown',
              data: { from: own.name, to: bcon.name, allowed: own.may.join(', ') || 'none' },
            });
          }
          return;
        }
        if (/\/(src|dist)(\/|$)/.test(bcon.subpath)) {
          context.report({ node, messageId: 'deep', data: { source, to: bcon.name } });
        }
        return;
      }
      if (source.startsWith('.')) {
        const resolved = path.resolve(path.dirname(context.filename), source);
        const ownDir = path.join(root, own.dir);
        if (resolved === ownDir || resolved.startsWith(ownDir + path.sep)) return;
        const target = packageOfFile(root, resolved);
        if (target && !own.may.includes(target.name)) {
          context.report({
            node,
            messageId: 'upward',
            data: { from: own.name, fromLevel: own.level, to: target.name, toLevel: target.level, order: ORDER },
          });
          return;
        }
        context.report({
          node,
          messageId: 'relative',
          data: { source, from: own.name, dir: own.dir, to: target?.name ?? 'its package name' },
        });
      }
    }

    const fromSource = (node) => check(node, node.source?.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined),
      TSImportType: (node) => {
        const arg = node.argument;
        const lit = arg?.type === 'TSLiteralType' ? arg.literal : arg;
        check(node, lit?.value);
      },
      TSExternalModuleReference: (node) => check(node, node.expression?.value),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};
