// The database as the migrations leave it. db/schema.test.ts compares this type's tables and
// columns with the migrated catalogue, so it cannot drift.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json = ColumnType<unknown, string | undefined, string>

export type Role = 'registrar' | 'assessor' | 'caseworker' | 'archivist' | 'supervisor' | 'admin'

export interface RegistriesTable {
  code: string
  name: string
  name_en: Generated<string>
  created_at: CreatedAt
}

export interface UsersTable {
  id: Generated<string>
  registry_code: string
  username: string
  display_name: string
  email: string | null
  password_hash: string
  must_change_password: Generated<boolean>
  active: Generated<boolean>
  failed_attempts: Generated<number>
  locked_until: Date | null
  totp_secret: string | null
  totp_enabled: Generated<boolean>
  locale: Generated<'zh' | 'en'>
  password_changed_at: Generated<Date>
  created_at: CreatedAt
  updated_at: Generated<Date>
  version: Generated<number>
}

export interface UserRolesTable {
  user_id: string
  role: Role
}

export interface SessionsTable {
  id: string
  user_id: string
  created_at: CreatedAt
  last_seen_at: Generated<Date>
  second_factor_done: Generated<boolean>
  revoked_at: Date | null
  revoked_reason: string | null
  ip: string | null
  user_agent: string | null
}

export interface SettingsTable {
  key: string
  value: Json
  updated_at: Generated<Date>
  updated_by: string | null
}

export interface AuditLogTable {
  id: Generated<string>
  at: Generated<Date>
  registry_code: string | null
  actor_id: string | null
  actor_name: string | null
  action: string
  entity_type: string | null
  entity_id: string | null
  summary: ColumnType<unknown, string | undefined, string>
  reason: string | null
  ip: string | null
}

export interface MailOutboxTable {
  id: Generated<string>
  message_id: string
  registry_code: string | null
  to_address: string
  subject: string
  body_text: string
  created_at: CreatedAt
}

export interface CalendarDaysTable {
  day: ColumnType<string, string, string>
  kind: 'holiday' | 'workday'
  name: Generated<string>
}

export interface Database {
  registries: RegistriesTable
  users: UsersTable
  user_roles: UserRolesTable
  sessions: SessionsTable
  settings: SettingsTable
  audit_log: AuditLogTable
  mail_outbox: MailOutboxTable
  calendar_days: CalendarDaysTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type AuditRow = Selectable<AuditLogTable>
