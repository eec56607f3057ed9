/**
 * A real Lambda handler for the workflow test stack: writes one manifest item to the table named by
 * its environment (set from the template, resolved to the local table) and returns what it wrote.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

let client: DynamoDBClient | undefined;

export async function handler(event: { id?: unknown; value?: unknown }): Promise<{ id: string; doubled: number }> {
  const tableName = process.env.RECORD_TABLE_NAME;
  if (tableName === undefined) throw new Error('RECORD_TABLE_NAME is not set');
  if (typeof event.id !== 'string' || typeof event.value !== 'number') {
    const error = new Error(`bad item ${JSON.stringify(event)}`);
    error.name = 'BadItemError';
    throw error;
  }
  client ??= new DynamoDBClient({});
  const doubled = event.value * 2;
  await client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: event.id }, doubled: { N: String(doubled) } } }));
  return { id: event.id, doubled };
}
