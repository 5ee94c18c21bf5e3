import { type CommandContext, type Decider, type DomainEvent, type HandledCommand, handleCommand } from '@caas/domain';
import type { EventStore } from '@caas/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { ReadYourWrites } from '@caas/read-model';
import { EVENT_STORE } from './tokens';

/** Runs a command against one aggregate and returns once the read model shows the result. */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    stream: string,
    command: Command,
    context: CommandContext,
  ): Promise<HandledCommand<Event, State>> {
    const result = await handleCommand(this.store, decider, stream, command, context);
    await this.readYourWrites.streamApplied(stream, result.nextExpectedRevision);
    return result;
  }
}
