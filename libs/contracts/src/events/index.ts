export * from './public-event';
