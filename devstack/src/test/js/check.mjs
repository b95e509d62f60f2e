// Optional check: the widely used JavaScript client against a running schema registry.
// Usage: node check.mjs <registry-url> <recipient.avsc>   (exit 0 and "OK" when every step behaves as on Confluent)
// KafkajsClientNodeCheckTest runs it against the embedded registry when -Dherald.js.check=true.
import { readFileSync } from 'node:fs'
import assert from 'node:assert/strict'
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'

const [url, schemaFile] = process.argv.slice(2)
const recipient = JSON.parse(readFileSync(schemaFile, 'utf8'))
const subject = `${recipient.namespace}.${recipient.name}`
const registry = new SchemaRegistry({ host: url }, { [SchemaType.AVRO]: {} })

function withField(name, type, add) {
  const copy = structuredClone(recipient)
  if (add) {
    copy.fields.push({ name, type, default: null })
  } else {
    copy.fields.find((field) => field.name === name).type = type
  }
  return { type: SchemaType.AVRO, schema: JSON.stringify(copy) }
}

const person = {
  id: 'r-1', email: 'ada@example.com', pushTokens: [], locale: 'en', timeZone: null,
  attributes: {}, segments: ['vip'], optOuts: [],
}

// 1. register(): GET /config/{subject} (404), POST /subjects/{subject}/versions, PUT /config/{subject}.
const { id: first } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(recipient) })
assert.ok(first > 0)
// 2. Encode with it and decode through the registry (GET /schemas/ids/{id} with a fresh client).
const encoded = await registry.encode(first, person)
const fresh = new SchemaRegistry({ host: url })
assert.deepEqual({ ...(await fresh.decode(encoded)) }, person)
// 3. Evolve: an extra optional field (GET /config/{subject} is now 200 BACKWARD).
const { id: evolved } = await registry.register(withField('nickname', ['null', 'string'], true))
assert.notEqual(evolved, first)
assert.equal(await registry.getLatestSchemaId(subject), evolved)
assert.equal(await registry.getRegistryIdBySchema(subject, { type: SchemaType.AVRO, schema: JSON.stringify(recipient) }), first)
// 4. The incompatible change is refused with Confluent's 409, naming the field.
await assert.rejects(registry.register(withField('locale', ['null', 'int'], false)), (error) => {
  assert.equal(error.status, 409)
  assert.match(error.message, /locale/)
  return true
})
// 5. Asking for another level than the subject has is the client's own refusal.
await assert.rejects(registry.register(withField('nickname', ['null', 'string'], true), { compatibility: 'FULL' }),
  /Compatibility does not match the configuration \(FULL != BACKWARD\)/)
console.log('OK')
